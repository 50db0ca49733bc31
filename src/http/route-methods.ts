/**
 * Which methods a path has routes for, so that a request with another method is answered 405
 * Method Not Allowed with an `Allow` header (RFC 9110 §15.5.6) instead of 404: the path exists,
 * the method does not. Fastify's router answers "no route" for both; this table is filled from
 * the `onRoute` hook of the root scope, so it knows every route of every surface, and it is
 * read only when a request found no route.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';

interface RoutePattern {
  readonly pattern: RegExp;
  readonly methods: Set<string>;
}

/** A Fastify route path (`/a/:id`, `/a/*`, `/a/:id(^\\d+)`) as an anchored expression. */
function patternOf(url: string): RegExp {
  let source = '';
  for (const part of url.split(/(:[A-Za-z0-9_]+(?:\([^)]*\))?|\*)/)) {
    if (part === '*') source += '.*';
    else if (part.startsWith(':')) source += '[^/]+';
    else source += part.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  // Trailing slashes are ignored by the router (ignoreTrailingSlash): so here.
  return new RegExp(`^${source.replace(/\/$/, '')}/?$`);
}

export class RouteMethods {
  private readonly routes = new Map<string, RoutePattern>();

  add(url: string, method: string | readonly string[]): void {
    const entry = this.routes.get(url) ?? { pattern: patternOf(url), methods: new Set<string>() };
    for (const m of typeof method === 'string' ? [method] : method) entry.methods.add(m.toUpperCase());
    this.routes.set(url, entry);
  }

  /** The methods routes accept at this path (no query string), sorted; empty when none. */
  allowedAt(path: string): string[] {
    const methods = new Set<string>();
    for (const { pattern, methods: own } of this.routes.values()) {
      if (pattern.test(path)) for (const m of own) methods.add(m);
    }
    return [...methods].sort();
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route's path and methods (http/route-methods.ts), for 405 answers. */
    readonly routeMethods: RouteMethods;
  }
}

/** Decorates the root scope with the table and fills it as routes are declared. Call before any route. */
export function recordRouteMethods(app: FastifyInstance): void {
  const table = new RouteMethods();
  app.decorate('routeMethods', table);
  app.addHook('onRoute', (route: RouteOptions) => table.add(route.url, route.method));
}
