import { describe, expect, it, vi } from 'vitest';
import { desktopNotifier, type NotificationLike } from './notify';

function fakes(supported = true) {
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
  const win = { isMinimized: vi.fn(() => true), restore: vi.fn(), show: vi.fn(), focus: vi.fn() };
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
  it('shows a silent notification and brings the window forward when clicked', () => {
    const { notify, shown, win } = fakes();
    notify({ title: 'Gelen arama', body: '0532 123 45 67' });
    expect(shown[0]?.options).toEqual({
      title: 'Gelen arama',
      body: '0532 123 45 67',
      silent: true,
      urgency: 'critical',
    });
    shown[0]?.click();
    expect(win.restore).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();
  });

  it('does nothing where the system has no notifications', () => {
    const { notify, create } = fakes(false);
    notify({ title: 'Gelen arama', body: '153' });
    expect(create).not.toHaveBeenCalled();
  });
});
