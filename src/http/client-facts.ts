/**
 * Who asked, from a Node request, by the rules Fastify applies to `request.ip`, `request.host`
 * and `request.protocol` for the same `trustProxy` setting (fastify/lib/request.js), so that the
 * cache front (cache-front.ts) counts the same client and builds the same cache keys as the
 * Fastify path. Uses Fastify's own proxy-address package, so the trust rules are the same code.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import proxyAddr from '@fastify/proxy-addr';

export interface ClientFacts {
  /** The client address (X-Forwarded-For read only from trusted proxies). */
  address(req: IncomingMessage): string;
  /** The host the client asked for (X-Forwarded-Host from a trusted proxy, else Host). */
  host(req: IncomingMessage): string;
  /** `http` or `https` (X-Forwarded-Proto from a trusted proxy, else the socket's). */
  protocol(req: IncomingMessage): string;
}

type Trust = (address: string, hop: number) => boolean;

/** The `trustProxy` values our configuration allows (config.ts): off, on, or a list of addresses. */
function trustOf(trustProxy: boolean | string): Trust | undefined {
  if (trustProxy === false) return undefined;
  if (trustProxy === true) return () => true;
  return proxyAddr.compile(trustProxy.split(',').map((part) => part.trim()));
}

/** The last value of a header a chain of proxies may have appended to (as Fastify reads it). */
function lastEntry(value: string): string {
  const comma = value.lastIndexOf(',');
  return comma === -1 ? value.trim() : value.slice(comma + 1).trim();
}

const ownProtocol = (req: IncomingMessage) => ((req.socket as TLSSocket).encrypted ? 'https' : 'http');

export function clientFacts(trustProxy: boolean | string): ClientFacts {
  const trust = trustOf(trustProxy);
  if (!trust) {
    return {
      address: (req) => req.socket.remoteAddress ?? '',
      host: (req) => req.headers.host ?? '',
      protocol: ownProtocol,
    };
  }
  const fromTrustedProxy = (req: IncomingMessage) => req.socket.remoteAddress !== undefined && trust(req.socket.remoteAddress, 0);
  return {
    address: (req) => {
      const addresses = proxyAddr.all(req, trust);
      return addresses[addresses.length - 1] ?? '';
    },
    host: (req) => {
      const forwarded = req.headers['x-forwarded-host'];
      return typeof forwarded === 'string' && forwarded && fromTrustedProxy(req) ? lastEntry(forwarded) : (req.headers.host ?? '');
    },
    protocol: (req) => {
      const forwarded = req.headers['x-forwarded-proto'];
      return typeof forwarded === 'string' && forwarded && fromTrustedProxy(req) ? lastEntry(forwarded) : ownProtocol(req);
    },
  };
}
