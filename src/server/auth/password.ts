import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { t } from '../i18n';

/**
 * Passwords are hashed with scrypt (node's built-in) and stored self-describing:
 *
 *   scrypt$ln=15,r=8,p=1$<salt, base64>$<hash, base64>
 *
 * so the cost can be raised later: `needsRehash` tells the login to re-hash with the current
 * parameters once it has the plain password.
 */
export interface ScryptParams {
  logN: number;
  r: number;
  p: number;
}

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const FORMAT =
  /^scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

/** Policy rules that need the username too; returns the Turkish message or null. */
export function passwordProblem(password: string, username: string): string | null {
  if (password.trim().toLowerCase() === username.toLowerCase()) {
    return t('password.sameAsUsername');
  }
  return null;
}

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.logN;
  const options: ScryptOptions = {
    N,
    r: params.r,
    p: params.p,
    // scrypt needs 128·N·r bytes; node's default cap (32 MiB) is exactly N=2^15, r=8.
    maxmem: 256 * N * params.r + 1024 * 1024,
  };
  return new Promise((resolve, reject) => {
    // NFC so the same Turkish letters typed on different keyboards give the same hash.
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string, params: ScryptParams): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, params);
  return `scrypt$ln=${params.logN},r=${params.r},p=${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

function parse(encoded: string): { params: ScryptParams; salt: Buffer; key: Buffer } | null {
  const match = FORMAT.exec(encoded);
  if (match === null) return null;
  const [, logN, r, p, salt, key] = match;
  return {
    params: { logN: Number(logN), r: Number(r), p: Number(p) },
    salt: Buffer.from(salt ?? '', 'base64'),
    key: Buffer.from(key ?? '', 'base64'),
  };
}

/** Constant-time comparison; an unreadable stored hash simply never verifies. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const stored = parse(encoded);
  if (stored === null || stored.key.length !== KEY_LENGTH) return false;
  const key = await derive(password, stored.salt, stored.params);
  return timingSafeEqual(key, stored.key);
}

export function needsRehash(encoded: string, params: ScryptParams): boolean {
  const stored = parse(encoded);
  if (stored === null) return true;
  const s = stored.params;
  return s.logN < params.logN || s.r < params.r || s.p < params.p;
}

/**
 * Hashes and verifies with the configured cost. For unknown usernames the login verifies against
 * a dummy hash of the same cost, so the answer takes as long as for a real account.
 */
export class PasswordHasher {
  readonly params: ScryptParams;
  #dummy: Promise<string> | null = null;

  constructor(params: ScryptParams) {
    this.params = params;
  }

  hash(password: string): Promise<string> {
    return hashPassword(password, this.params);
  }

  verify(password: string, encoded: string): Promise<boolean> {
    return verifyPassword(password, encoded);
  }

  needsRehash(encoded: string): boolean {
    return needsRehash(encoded, this.params);
  }

  /** Spends the same work as a real verification, and always fails. */
  async verifyDummy(password: string): Promise<false> {
    this.#dummy ??= hashPassword(randomBytes(16).toString('hex'), this.params);
    await verifyPassword(password, await this.#dummy);
    return false;
  }
}
