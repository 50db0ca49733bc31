/**
 * The roles a token can hold. They are distinct on purpose (least privilege): `admin` manages
 * tokens, structures and reads the audit log; `publisher` manages releases and correspondence
 * tables; `producer` uploads data to the dataflows it is granted. No role implies another.
 */
import { ROLES, type Role } from '../storage/schema.js';

export { ROLES, type Role };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
