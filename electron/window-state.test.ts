import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SIZE, LAST_USED, fileWindowStateStore, restoreBounds } from './window-state';

const screen = [{ x: 0, y: 0, width: 1920, height: 1040 }];
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-window-'));
  dirs.push(d);
  return d;
};

describe('the window’s size and position', () => {
  it('are remembered per user, and the last one used opens before anyone signs in', () => {
    const dir = tempDir();
    const store = fileWindowStateStore(dir);
    store.save('user-a', { x: 10, y: 20, width: 1400, height: 900, maximized: false });
    store.save('user-b', { x: 100, y: 50, width: 1100, height: 700, maximized: true });
    const again = fileWindowStateStore(dir);
    expect(again.load('user-a')).toEqual({
      x: 10,
      y: 20,
      width: 1400,
      height: 900,
      maximized: false,
    });
    expect(again.load('user-b')?.maximized).toBe(true);
    expect(again.load(LAST_USED)?.width).toBe(1100);
    expect(again.load('user-c')).toBeUndefined();
  });

  it('start afresh from a damaged file', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'window-state.json'), '{ yarım');
    expect(fileWindowStateStore(dir).load('user-a')).toBeUndefined();
  });

  it('open where they were when that place is on a screen', () => {
    expect(
      restoreBounds({ x: 200, y: 100, width: 1300, height: 800, maximized: false }, screen),
    ).toEqual({ bounds: { x: 200, y: 100, width: 1300, height: 800 }, maximized: false });
  });

  it('open centred at their size when the screen they were on is gone (laptop undocked)', () => {
    const restored = restoreBounds(
      { x: 2500, y: 100, width: 1300, height: 800, maximized: false },
      screen,
    );
    expect(restored.bounds).toEqual({ width: 1300, height: 800 });
  });

  it('never open smaller than the app can be used, and at the default size the first time', () => {
    expect(
      restoreBounds({ x: 0, y: 0, width: 300, height: 200, maximized: false }, screen).bounds,
    ).toMatchObject({ width: 1024, height: 640 });
    expect(restoreBounds(undefined, screen).bounds).toEqual(DEFAULT_SIZE);
  });
});
