/**
 * The access log: one line per request, written when its answer is complete, instead of
 * Fastify's two (`incoming request` when it arrives, `request completed` when it is answered).
 * The line carries what the two did together, as flat fields: the request id, method, url, host,
 * remote address, status and `responseTime` in ms, at `info` (`error` with the error when the
 * answer failed). Every other line Fastify writes about requests is unchanged.
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
    // Flat fields rather than the `req`/`res` objects: no serializer to run and nothing for the
    // credential redaction (auth/log-redaction.ts) to copy, on every request.
    const line = {
      method: request.method,
      url: request.url,
      host: request.host,
      remoteAddress: request.ip,
      statusCode: reply.statusCode,
      responseTime: reply.elapsedTime,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}
