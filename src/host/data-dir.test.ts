import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDataDir } from './data-dir';

describe('resolveDataDir', () => {
  it('prefers --data-dir, then ALO153_DATA_DIR, then the XDG data directory', () => {
    expect(resolveDataDir(['--data-dir', 'x'], { ALO153_DATA_DIR: '/e' }, '/home/a')).toBe(
      path.resolve('x'),
    );
    expect(resolveDataDir(['--data-dir=/d'], {}, '/home/a')).toBe('/d');
    expect(resolveDataDir([], { ALO153_DATA_DIR: '/e' }, '/home/a')).toBe('/e');
    expect(resolveDataDir([], { XDG_DATA_HOME: '/xdg' }, '/home/a')).toBe('/xdg/alo153');
    expect(resolveDataDir([], {}, '/home/a')).toBe('/home/a/.local/share/alo153');
  });

  it('ignores a relative XDG_DATA_HOME as the XDG spec requires', () => {
    expect(resolveDataDir([], { XDG_DATA_HOME: 'rel' }, '/home/a')).toBe(
      '/home/a/.local/share/alo153',
    );
  });
});
