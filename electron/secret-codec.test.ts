import { describe, expect, it, vi } from 'vitest';
import { safeStorageCodec } from './secret-codec';

describe('safeStorageCodec', () => {
  it('encrypts the session with safeStorage when the OS offers encryption', () => {
    const storage = {
      isEncryptionAvailable: () => true,
      encryptString: (s: string) => Buffer.from(`enc:${s}`),
      decryptString: (b: Buffer) => b.toString().replace(/^enc:/, ''),
    };
    const codec = safeStorageCodec(storage, () => undefined);
    const sealed = codec.encrypt('{"refreshToken":"r"}');
    expect(sealed.toString()).toBe('enc:{"refreshToken":"r"}');
    expect(codec.decrypt(sealed)).toBe('{"refreshToken":"r"}');
  });

  it('falls back to plain storage and warns when encryption is unavailable', () => {
    const log = vi.fn();
    const storage = {
      isEncryptionAvailable: () => false,
      encryptString: () => {
        throw new Error('must not be called');
      },
      decryptString: () => {
        throw new Error('must not be called');
      },
    };
    const codec = safeStorageCodec(storage, log);
    expect(codec.decrypt(codec.encrypt('x'))).toBe('x');
    expect(log).toHaveBeenCalledWith(expect.stringContaining('unencrypted'));
  });
});
