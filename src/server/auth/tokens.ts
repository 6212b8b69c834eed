import { createHash, randomBytes } from 'node:crypto';

/**
 * Opaque bearer tokens: 256 random bits, base64url, with a short prefix saying what kind of
 * token it is (handy in a leaked-secret scan, useless to an attacker). Only the SHA-256 of a
 * token is stored, so a database dump cannot be replayed as a login.
 */
export type TokenKind = 'access' | 'refresh';

const PREFIX: Record<TokenKind, string> = { access: 'a153a_', refresh: 'a153r_' };

export function newToken(kind: TokenKind): string {
  return PREFIX[kind] + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Reads `Authorization: Bearer <token>`; null when absent or of another scheme. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  const match = /^Bearer[ \t]+([A-Za-z0-9._~+/=-]{1,512})[ \t]*$/i.exec(header);
  return match?.[1] ?? null;
}
