import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SessionUser } from './http';
import type { SecretCodec } from './session-store';

/**
 * What lets a user who signed in online on this PC sign in again while the central API cannot be
 * reached: a salted scrypt verifier of their password (never the password), the user as the
 * server last described them, and when they last signed in online. Kept in one file encrypted
 * by the same codec as the session (Electron safeStorage; the browser host a 0600 file).
 */
interface Verifier {
  user: SessionUser;
  salt: string;
  hash: string;
  /** scrypt cost parameters the hash was made with (so they can change later). */
  n: number;
  r: number;
  p: number;
  lastOnlineAt: string;
}

export type OfflineCheck =
  | { ok: true; user: SessionUser }
  | { ok: false; reason: 'unknown' | 'expired' | 'wrong-password' | 'locked' };

export interface OfflineAuth {
  /** After an online sign-in (or password change): remember a verifier of this password. */
  remember(user: SessionUser, password: string, at: Date): Promise<void>;
  /** Checks a password typed while the API is unreachable. */
  check(username: string, password: string, now: Date): Promise<OfflineCheck>;
  /** Whether `password` matches the stored verifier (to spot one the server no longer takes). */
  matches(username: string, password: string): Promise<boolean>;
  /** The server said this account may no longer sign in here: offline sign-in ends for it. */
  forget(username: string): void;
}

export interface OfflineAuthOptions {
  /** Days since the last online sign-in within which offline sign-in is allowed (0 = never). */
  maxAgeDays: number;
  /** scrypt cost (log2 N); tests lower it. */
  scryptLogN?: number;
  /** Failed offline attempts before the name is locked for `lockoutMs`. */
  maxFailures?: number;
  lockoutMs?: number;
}

const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: n, r, p, maxmem: 128 * n * r * 2 };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

const keyOf = (username: string) => username.trim().toLocaleLowerCase('tr');

export function fileOfflineAuth(
  dataDir: string,
  codec: SecretCodec,
  options: OfflineAuthOptions,
): OfflineAuth {
  const file = path.join(dataDir, 'offline-auth.bin');
  const n = 2 ** (options.scryptLogN ?? 15);
  const maxFailures = options.maxFailures ?? 5;
  const lockoutMs = options.lockoutMs ?? 15 * 60_000;
  /** Failed attempts per name since the last success (this run only; a restart costs seconds). */
  const failures = new Map<string, { count: number; until: number }>();

  function read(): Record<string, Verifier> {
    try {
      return JSON.parse(codec.decrypt(fs.readFileSync(file))) as Record<string, Verifier>;
    } catch {
      return {};
    }
  }
  function write(all: Record<string, Verifier>): void {
    if (Object.keys(all).length === 0) {
      fs.rmSync(file, { force: true });
      return;
    }
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, codec.encrypt(JSON.stringify(all)), { mode: 0o600 });
    fs.renameSync(tmp, file);
  }
  async function verify(v: Verifier, password: string): Promise<boolean> {
    const expected = Buffer.from(v.hash, 'base64');
    const key = await derive(password, Buffer.from(v.salt, 'base64'), v.n, v.r, v.p);
    return key.length === expected.length && timingSafeEqual(key, expected);
  }

  return {
    async remember(user, password, at) {
      const salt = randomBytes(16);
      const key = await derive(password, salt, n, 8, 1);
      const all = read();
      all[keyOf(user.username)] = {
        user,
        salt: salt.toString('base64'),
        hash: key.toString('base64'),
        n,
        r: 8,
        p: 1,
        lastOnlineAt: at.toISOString(),
      };
      write(all);
    },
    async check(username, password, now) {
      const key = keyOf(username);
      const v = read()[key];
      if (!v || options.maxAgeDays <= 0) return { ok: false, reason: 'unknown' };
      const failed = failures.get(key);
      if (failed && failed.until > now.getTime()) return { ok: false, reason: 'locked' };
      if (!(await verify(v, password))) {
        const count = (failed?.count ?? 0) + 1;
        failures.set(key, {
          count: count >= maxFailures ? 0 : count,
          until: count >= maxFailures ? now.getTime() + lockoutMs : 0,
        });
        return { ok: false, reason: 'wrong-password' };
      }
      failures.delete(key);
      const age = now.getTime() - Date.parse(v.lastOnlineAt);
      if (age > options.maxAgeDays * 24 * 3600 * 1000) return { ok: false, reason: 'expired' };
      return { ok: true, user: v.user };
    },
    async matches(username, password) {
      const v = read()[keyOf(username)];
      return v !== undefined && (await verify(v, password));
    },
    forget(username) {
      const all = read();
      if (!(keyOf(username) in all)) return;
      delete all[keyOf(username)];
      write(all);
    },
  };
}
