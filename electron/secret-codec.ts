import type { SafeStorage } from 'electron';
import { plainCodec, type SecretCodec } from '../src/client/api/session-store';

/**
 * The stored session (refresh token) encrypted with the OS keychain through safeStorage. Where
 * no encryption is available (Linux without a keyring) it falls back to a file only the user can
 * read, and says so once.
 */
export function safeStorageCodec(
  storage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'>,
  log: (message: string) => void,
): SecretCodec {
  if (!storage.isEncryptionAvailable()) {
    log('safeStorage is not available: the session is stored unencrypted (mode 0600)');
    return plainCodec;
  }
  return {
    encrypt: (plain) => storage.encryptString(plain),
    decrypt: (data) => storage.decryptString(data),
  };
}
