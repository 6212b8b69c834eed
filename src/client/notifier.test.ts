import { describe, expect, it, vi } from 'vitest';
import { EventHub } from './events';
import { createNotifier } from './notifier';

const AT = new Date('2026-12-07T12:00:00.000Z');

function setup(system?: (n: unknown) => void) {
  const events = new EventHub();
  const seen: unknown[] = [];
  events.subscribe((event, payload) => {
    if (event === 'app.notification') seen.push(payload);
  });
  const notifier = createNotifier({ events, now: () => AT, system, log: () => undefined });
  return { notifier, seen };
}

const due = {
  kind: 'callback-due' as const,
  key: 'callback-due:1@2026-12-07T14:30:00.000Z',
  title: 'Geri arama zamanı geldi',
  body: '2026-000123 numaralı ŞÖK için vatandaşı arayın.',
};

describe('desktop notifications in the client core', () => {
  it('become the app.notification event for the page and the system notification of the shell', () => {
    const system = vi.fn();
    const { notifier, seen } = setup(system);
    expect(notifier.raise(due)).toBe(true);
    expect(seen).toEqual([{ ...due, at: AT.toISOString() }]);
    expect(system).toHaveBeenCalledWith({ ...due, at: AT.toISOString() });
  });

  it('are raised once per key, so a reloaded page does not repeat a reminder', () => {
    const { notifier, seen } = setup();
    notifier.raise(due);
    expect(notifier.raise(due)).toBe(false);
    expect(notifier.raise({ ...due, key: 'callback-due:1@2026-12-08T14:30:00.000Z' })).toBe(true);
    expect(seen).toHaveLength(2);
  });

  it('still reach the page when the system notifier fails', () => {
    const { notifier, seen } = setup(() => {
      throw new Error('no notification daemon');
    });
    expect(notifier.raise(due)).toBe(true);
    expect(seen).toHaveLength(1);
  });
});
