/**
 * The roles a token can hold. They are distinct on purpose (least privilege): `admin` manages
 * tokens, structures and reads the audit log; `publisher` manages releases and correspondence
 * tables; `producer` uploads data to the dataflows it is granted;
 * `preview` reads scheduled releases before their instant on the public data routes
 * (preview-access.ts). No role implies another.
 */
import { ROLES, type Role } from '../storage/schema.js';

export { ROLES, type Role };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
