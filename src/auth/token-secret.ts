/**
 * The token format: `iccs_` and 43 base64url characters (32 random bytes). The prefix makes a
 * leaked token easy to recognise (secret scanners, logs). Only the SHA-256 of a secret is kept:
 * with 256 random bits there is nothing to brute-force, so a slow hash would buy nothing.
 */
import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'iccs_';
const SHAPE = /^iccs_[A-Za-z0-9_-]{43}$/;

export function newSecret(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

export function newTokenId(): string {
  return `tok_${randomBytes(6).toString('hex')}`;
}

export function looksLikeToken(value: string): boolean {
  return SHAPE.test(value);
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
