/**
 * What a new token may be, checked the same way for the CLI and the admin API: a producer is
 * granted at least one dataflow and only dataflows that exist; other roles carry no grants
 * (their rights do not depend on a dataflow, and a silent grant would be misleading).
 */
import type { Role } from './roles.js';

export interface TokenRuleViolation {
  /** The request field at fault, e.g. `dataflows`. */
  readonly field: string;
  readonly message: string;
}

export const MAX_TOKEN_NAME_LENGTH = 100;

export function tokenRuleViolations(
  request: { readonly name: string; readonly role: Role; readonly dataflows: readonly string[] },
  knownDataflows: ReadonlySet<string>,
): TokenRuleViolation[] {
  const violations: TokenRuleViolation[] = [];
  const name = request.name.trim();
  if (name === '' || name.length > MAX_TOKEN_NAME_LENGTH || /[\p{Cc}]/u.test(name)) {
    violations.push({ field: 'name', message: `name must be 1 to ${MAX_TOKEN_NAME_LENGTH} printable characters` });
  }
  if (request.role === 'producer') {
    if (request.dataflows.length === 0) {
      violations.push({ field: 'dataflows', message: 'a producer token needs at least one dataflow, as AGENCY:ID(VERSION)' });
    }
    for (const dataflow of request.dataflows) {
      if (!knownDataflows.has(dataflow)) {
        violations.push({ field: 'dataflows', message: `unknown dataflow "${dataflow}": expected AGENCY:ID(VERSION) of a stored dataflow` });
      }
    }
  } else if (request.dataflows.length > 0) {
    violations.push({ field: 'dataflows', message: `only producer tokens carry dataflows; a ${request.role} token cannot` });
  }
  return violations;
}
