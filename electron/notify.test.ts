import { describe, expect, it, vi } from 'vitest';
import { desktopNotifier, type NotificationLike } from './notify';

function fakes(supported = true, focused = false) {
  const shown: { options: unknown; click: () => void }[] = [];
  const create = vi.fn((options: unknown) => {
    const entry: { options: unknown; click: () => void } = { options, click: () => undefined };
    shown.push(entry);
    const n: NotificationLike = {
      on: (_event, listener) => (entry.click = listener),
      show: vi.fn(),
    };
    return n;
  });
  const win = {
    isMinimized: vi.fn(() => true),
    restore: vi.fn(),
    show: vi.fn(),
    focus: vi.fn(),
    isFocused: vi.fn(() => focused),
    flashFrame: vi.fn(),
  };
  return {
    create,
    win,
    shown,
    notify: desktopNotifier(
      create,
      () => supported,
      () => win,
    ),
  };
}

describe('desktop notifications', () => {
  it('shows an incoming call as a silent critical notification and brings the window forward when clicked', () => {
    const { notify, shown, win } = fakes();
    notify({ kind: 'incoming-call', title: 'Gelen arama', body: '0532 123 45 67' });
    expect(shown[0]?.options).toEqual({
      title: 'Gelen arama',
      body: '0532 123 45 67',
      silent: true,
      urgency: 'critical',
    });
    shown[0]?.click();
    expect(win.restore).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();
    expect(win.flashFrame).toHaveBeenLastCalledWith(false);
  });

  it('flashes the taskbar button for a ringing call while the window is not focused', () => {
    const { notify, win } = fakes();
    notify({ kind: 'incoming-call', title: 'Gelen arama', body: '153' });
    expect(win.flashFrame).toHaveBeenCalledWith(true);
  });

  it('does not flash for a reminder, nor for a call while the agent is looking at the window', () => {
    const away = fakes();
    away.notify({ kind: 'callback-due', title: 'Geri arama zamanı geldi', body: '2026-000001' });
    expect(away.win.flashFrame).not.toHaveBeenCalled();
    expect(away.shown[0]?.options).toMatchObject({ urgency: 'normal' });
    const looking = fakes(true, true);
    looking.notify({ kind: 'incoming-call', title: 'Gelen arama', body: '153' });
    expect(looking.win.flashFrame).not.toHaveBeenCalled();
  });

  it('does nothing but flash where the system has no notifications', () => {
    const { notify, create, win } = fakes(false);
    notify({ kind: 'incoming-call', title: 'Gelen arama', body: '153' });
    expect(create).not.toHaveBeenCalled();
    expect(win.flashFrame).toHaveBeenCalledWith(true);
  });
});
