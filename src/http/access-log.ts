/**
 * The access log: one line per request, written when its answer is complete, instead of
 * Fastify's two (`incoming request` when it arrives, `request completed` when it is answered).
 * The line carries what the two did together: the request id, `req` (method, url, host, remote
 * address and port), `res` (status) and `responseTime` in ms, at `info` (`error` with the error
 * when the answer failed). Every other line Fastify writes about requests is unchanged.
 *
 * Why: at the default level every request was two JSON lines and two write system calls, about a
 * third of what a cached answer cost the server (bench/results/latest.md, the repeated-query
 * row). A request whose client leaves before its answer is complete gets no line.
 */
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

export class AccessLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}
