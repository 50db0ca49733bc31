/** Who is calling: the holder of a valid token, as routes and the audit log see it. */
import type { Role } from './roles.js';

export interface Principal {
  readonly tokenId: string;
  readonly name: string;
  readonly role: Role;
  /** Producer grants, `AGENCY:ID(VERSION)`; empty for other roles. */
  readonly dataflows: readonly string[];
}

/** How a principal is named in the audit log: the public token id, never the secret. */
export function actorOf(principal: Principal): string {
  return `${principal.tokenId}:${principal.name}`;
}
