import { describe, expect, it, vi } from 'vitest';
import { bringForward, type ForwardWindow } from './window';

function fakeWindow(minimized: boolean) {
  return {
    isMinimized: vi.fn<ForwardWindow['isMinimized']>(() => minimized),
    restore: vi.fn<ForwardWindow['restore']>(),
    show: vi.fn<ForwardWindow['show']>(),
    focus: vi.fn<ForwardWindow['focus']>(),
    flashFrame: vi.fn<ForwardWindow['flashFrame']>(),
  } satisfies ForwardWindow;
}

describe('bringing the running window forward (second start, tray, notification)', () => {
  it('restores a minimised or hidden window, focuses it and stops the taskbar flashing', () => {
    const window = fakeWindow(true);
    bringForward(window);
    expect(window.restore).toHaveBeenCalled();
    expect(window.show).toHaveBeenCalled();
    expect(window.focus).toHaveBeenCalled();
    expect(window.flashFrame).toHaveBeenCalledWith(false);
  });

  it('does not restore a window that is not minimised, and tolerates none', () => {
    const window = fakeWindow(false);
    bringForward(window);
    expect(window.restore).not.toHaveBeenCalled();
    expect(() => bringForward(null)).not.toThrow();
  });
});
