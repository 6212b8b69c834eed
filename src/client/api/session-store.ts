import fs from 'node:fs';
import path from 'node:path';
import type { SessionStore, StoredSession } from './http';

/**
 * Encrypts and decrypts the stored session. Electron passes safeStorage; the browser host keeps
 * the file readable only by the user (mode 0600), like a browser's own profile.
 */
export interface SecretCodec {
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
}

export const plainCodec: SecretCodec = {
  encrypt: (plain) => Buffer.from(plain, 'utf8'),
  decrypt: (data) => data.toString('utf8'),
};

export function fileSessionStore(dataDir: string, codec: SecretCodec = plainCodec): SessionStore {
  const file = path.join(dataDir, 'session.bin');
  let cached: StoredSession | null | undefined;
  return {
    load() {
      if (cached !== undefined) return cached;
      try {
        cached = JSON.parse(codec.decrypt(fs.readFileSync(file))) as StoredSession;
      } catch {
        cached = null;
      }
      return cached;
    },
    save(session) {
      cached = session;
      if (session === null) {
        fs.rmSync(file, { force: true });
        return;
      }
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, codec.encrypt(JSON.stringify(session)), { mode: 0o600 });
      fs.renameSync(tmp, file);
    },
  };
}
