/**
 * Issues, checks, lists and revokes API tokens. Every time decision asks the injected clock,
 * so tests move time instead of waiting. The secret leaves this module once, in the result of
 * `create`; everything else sees the token id.
 */
import type { Clock } from '../clock.js';
import type { StoredToken, TokenRepository } from '../storage/repositories.js';
import type { Principal } from './principal.js';
import type { Role } from './roles.js';
import { hashSecret, looksLikeToken, newSecret, newTokenId } from './token-secret.js';

export interface NewToken {
  readonly name: string;
  readonly role: Role;
  readonly dataflows: readonly string[];
  /** ISO-8601 UTC; null or absent for a token that does not expire. */
  readonly expiresAt?: string | null;
  /** Actor who asked for it (`tok_…:name` or `cli`). */
  readonly createdBy: string;
}

export type TokenStatus = 'active' | 'expired' | 'revoked';

/** A token as listed: everything but the secret (and its hash). */
export interface TokenInfo {
  readonly tokenId: string;
  readonly name: string;
  readonly role: Role;
  readonly dataflows: readonly string[];
  readonly status: TokenStatus;
  readonly createdAt: string;
  readonly createdBy: string | null;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
}

/** Why a presented credential was not accepted; `missing` means none was presented. */
export type AuthFailure = 'missing' | 'malformed' | 'unknown' | 'expired' | 'revoked';

export type Authentication = { readonly principal: Principal } | { readonly principal: null; readonly failure: AuthFailure };

/** lastUsedAt is informative: writing it at most once a minute spares a write per request. */
const TOUCH_EVERY_MS = 60_000;

export class TokenService {
  constructor(
    private readonly repository: TokenRepository,
    private readonly clock: Clock,
  ) {}

  create(input: NewToken): { token: string; info: TokenInfo } {
    const token = newSecret();
    const stored = this.repository.insert({
      tokenId: newTokenId(),
      name: input.name,
      role: input.role,
      secretHash: hashSecret(token),
      dataflows: input.role === 'producer' ? [...input.dataflows] : [],
      createdAt: this.clock.now().toISOString(),
      createdBy: input.createdBy,
      expiresAt: input.expiresAt ?? null,
    });
    return { token, info: this.infoOf(stored) };
  }

  /** Checks a presented secret; `undefined` means no credential was presented. */
  authenticate(secret: string | undefined): Authentication {
    if (secret === undefined) return { principal: null, failure: 'missing' };
    if (!looksLikeToken(secret)) return { principal: null, failure: 'malformed' };
    const stored = this.repository.bySecretHash(hashSecret(secret));
    if (!stored) return { principal: null, failure: 'unknown' };
    const status = this.statusOf(stored);
    if (status !== 'active') return { principal: null, failure: status };
    const now = this.clock.now();
    if (stored.lastUsedAt === null || now.getTime() - Date.parse(stored.lastUsedAt) >= TOUCH_EVERY_MS) {
      this.repository.touch(stored.tokenId, now.toISOString());
    }
    return { principal: Object.freeze({ tokenId: stored.tokenId, name: stored.name, role: stored.role, dataflows: Object.freeze([...stored.dataflows]) }) };
  }

  list(): TokenInfo[] {
    return this.repository.list().map((t) => this.infoOf(t));
  }

  get(tokenId: string): TokenInfo | undefined {
    const stored = this.repository.byTokenId(tokenId);
    return stored && this.infoOf(stored);
  }

  /** Revokes at once; revoking again keeps the first instant. Undefined for an unknown id. */
  revoke(tokenId: string): TokenInfo | undefined {
    const stored = this.repository.revoke(tokenId, this.clock.now().toISOString());
    return stored && this.infoOf(stored);
  }

  private statusOf(t: StoredToken): TokenStatus {
    if (t.revokedAt !== null) return 'revoked';
    if (t.expiresAt !== null && Date.parse(t.expiresAt) <= this.clock.now().getTime()) return 'expired';
    return 'active';
  }

  private infoOf(t: StoredToken): TokenInfo {
    return {
      tokenId: t.tokenId,
      name: t.name,
      role: t.role,
      dataflows: t.dataflows,
      status: this.statusOf(t),
      createdAt: t.createdAt,
      createdBy: t.createdBy,
      expiresAt: t.expiresAt,
      revokedAt: t.revokedAt,
      lastUsedAt: t.lastUsedAt,
    };
  }
}
