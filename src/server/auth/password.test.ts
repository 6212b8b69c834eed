import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, PasswordHasher, verifyPassword } from './password';
import { bearerToken, hashToken, newToken } from './tokens';

const CHEAP = { logN: 10, r: 8, p: 1 };

describe('password hashing', () => {
  it('stores scrypt with its parameters and a random salt', async () => {
    const a = await hashPassword('çok-gizli-parola', CHEAP);
    const b = await hashPassword('çok-gizli-parola', CHEAP);
    expect(a).toMatch(/^scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(a).not.toBe(b);
  });

  it('verifies the right password only', async () => {
    const hash = await hashPassword('çok-gizli-parola', CHEAP);
    expect(await verifyPassword('çok-gizli-parola', hash)).toBe(true);
    expect(await verifyPassword('çok-gizli-parolA', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('treats composed and decomposed Turkish letters as the same password', async () => {
    const composed = 'şifre-ğüçöı-123';
    const hash = await hashPassword(composed, CHEAP);
    expect(await verifyPassword(composed.normalize('NFD'), hash)).toBe(true);
  });

  it('never verifies against an unreadable stored hash', async () => {
    for (const stored of ['', 'plain', 'scrypt$ln=10,r=8,p=1$abc$', 'bcrypt$2b$10$xyz']) {
      expect(await verifyPassword('x', stored)).toBe(false);
    }
  });

  it('asks for a re-hash when the configured cost is higher than the stored one', async () => {
    const hash = await hashPassword('çok-gizli-parola', CHEAP);
    expect(needsRehash(hash, CHEAP)).toBe(false);
    expect(needsRehash(hash, { ...CHEAP, logN: 15 })).toBe(true);
    expect(needsRehash('garbage', CHEAP)).toBe(true);
  });

  it('uses production-strength defaults within node’s memory limit', async () => {
    const hash = await hashPassword('çok-gizli-parola', { logN: 15, r: 8, p: 1 });
    expect(await verifyPassword('çok-gizli-parola', hash)).toBe(true);
  });

  it('spends about as long on a dummy verification as on a real one', async () => {
    const hasher = new PasswordHasher({ logN: 13, r: 8, p: 1 });
    const hash = await hasher.hash('çok-gizli-parola');
    await hasher.verifyDummy('warm-up');
    const time = async (fn: () => Promise<unknown>) => {
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) {
        const start = performance.now();
        await fn();
        runs.push(performance.now() - start);
      }
      return runs.sort((x, y) => x - y)[2] ?? 0;
    };
    const real = await time(() => hasher.verify('yanlış', hash));
    const dummy = await time(() => hasher.verifyDummy('yanlış'));
    expect(dummy / real).toBeGreaterThan(0.33);
    expect(dummy / real).toBeLessThan(3);
  });
});

describe('tokens', () => {
  it('are long random strings with a kind prefix, stored as SHA-256', () => {
    const token = newToken('access');
    expect(token).toMatch(/^a153a_[A-Za-z0-9_-]{43}$/);
    expect(newToken('refresh')).toMatch(/^a153r_/);
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).not.toBe(hashToken(newToken('access')));
  });

  it('are read only from a well-formed Bearer header', () => {
    expect(bearerToken('Bearer abc.DEF-123')).toBe('abc.DEF-123');
    expect(bearerToken('bearer abc')).toBe('abc');
    for (const header of [undefined, '', 'Bearer', 'Basic abc', 'Bearer a b', 'Bearerabc']) {
      expect(bearerToken(header)).toBeNull();
    }
  });
});
