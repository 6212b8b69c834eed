import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SecretCodec } from './session-store';

/**
 * Each user's SIP password, kept like the session: one file per user in the data directory,
 * written through the injected SecretCodec (Electron: safeStorage, i.e. the OS keychain) and
 * readable only by the OS user (mode 0600). Never in SQLite, never in renderer storage, never
 * logged; the renderer gets it only from `phone.credentials` when a SIP session starts.
 */
export interface PhoneSecrets {
  has(userId: string): boolean;
  get(userId: string): string | null;
  set(userId: string, password: string): void;
  remove(userId: string): void;
}

export function filePhoneSecrets(dataDir: string, codec: SecretCodec): PhoneSecrets {
  const dir = path.join(dataDir, 'phone-secrets');
  const file = (userId: string) =>
    path.join(dir, `${createHash('sha256').update(userId).digest('hex').slice(0, 32)}.bin`);
  return {
    has: (userId) => fs.existsSync(file(userId)),
    get(userId) {
      try {
        return codec.decrypt(fs.readFileSync(file(userId)));
      } catch {
        return null;
      }
    },
    set(userId, password) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const target = file(userId);
      const tmp = `${target}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, codec.encrypt(password), { mode: 0o600 });
      fs.renameSync(tmp, target);
    },
    remove(userId) {
      fs.rmSync(file(userId), { force: true });
    },
  };
}
