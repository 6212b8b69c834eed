import type { UpdateDownloadedEvent } from 'electron-updater';
import { describe, expect, it, vi } from 'vitest';
import { IDLE_SHELL_STATE, type ShellState } from '../src/domain/shell';
import { startDeskUpdates, type UpdaterLike } from './updater';

/** A fake of electron-updater's AppUpdater (UpdaterLike picks from its type). */
function fakeUpdater() {
  const listeners: Record<string, ((arg: never) => void)[]> = {};
  const updater = {
    autoDownload: false,
    autoInstallOnAppQuit: false,
    setFeedURL: vi.fn<UpdaterLike['setFeedURL']>(),
    checkForUpdates: vi.fn<UpdaterLike['checkForUpdates']>(async () => null),
    quitAndInstall: vi.fn<UpdaterLike['quitAndInstall']>(),
    on(event: string, listener: (arg: never) => void): void {
      (listeners[event] ??= []).push(listener);
    },
  } satisfies UpdaterLike;
  const emit = (event: string, arg: unknown) => {
    for (const l of listeners[event] ?? []) (l as (a: unknown) => void)(arg);
  };
  return { updater, emit };
}

function setup(feedUrl: string | null = 'https://alo153.bursa.example/updates/') {
  const { updater, emit } = fakeUpdater();
  const timers: { run: () => void; ms: number }[] = [];
  const ask = vi.fn<(version: string) => void>();
  const updates = startDeskUpdates({
    updater,
    feedUrl,
    installId: 'pc-bikom-07',
    everyHours: 4,
    ask,
    log: () => undefined,
    now: () => new Date('2026-12-07T09:00:00.000Z'),
    setTimer: (run, ms) => timers.push({ run, ms }),
    clearTimer: () => undefined,
  });
  const downloaded = (version: string) =>
    emit('update-downloaded', { version } as UpdateDownloadedEvent);
  return { updater, updates, timers, ask, downloaded, emit };
}

const ready: ShellState = { ...IDLE_SHELL_STATE, agentState: 'available', registered: true };

describe('desk updates', () => {
  it('use the generic provider on the configured feed, download by themselves and install at quit', () => {
    const { updater } = setup();
    expect(updater.setFeedURL).toHaveBeenCalledWith({
      provider: 'generic',
      url: 'https://alo153.bursa.example/updates/',
    });
    expect(updater.autoDownload).toBe(true);
    expect(updater.autoInstallOnAppQuit).toBe(true);
  });

  it('check soon after start and then every few hours', async () => {
    const { updater, timers } = setup();
    expect(timers).toHaveLength(1);
    expect(timers[0]!.ms).toBeLessThan(2 * 60_000);
    timers[0]!.run();
    await vi.waitFor(() => expect(timers).toHaveLength(2));
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(1);
    expect(timers[1]!.ms).toBeGreaterThanOrEqual(4 * 3_600_000);
  });

  it('keep a failed check for "Tanı bilgisi" and try again at the next turn', async () => {
    const { updater, timers, updates } = setup();
    updater.checkForUpdates.mockRejectedValueOnce(new Error('ECONNREFUSED'));
    timers[0]!.run();
    await vi.waitFor(() => expect(timers).toHaveLength(2));
    expect(updates.status()).toMatchObject({
      lastError: 'ECONNREFUSED',
      lastCheckAt: '2026-12-07T09:00:00.000Z',
    });
  });

  it('ask the agent once the update is downloaded, and restart only when they agree', () => {
    const { updater, updates, ask, downloaded } = setup();
    updates.onShellState(ready);
    downloaded('0.2.0');
    expect(ask).toHaveBeenCalledWith('0.2.0');
    updates.onShellState({ ...ready, agentState: 'break' });
    expect(ask).toHaveBeenCalledTimes(1);
    expect(updater.quitAndInstall).not.toHaveBeenCalled();
    updates.answer('install-now');
    expect(updater.quitAndInstall).toHaveBeenCalledWith(false, true);
  });

  it('never ask nor restart during a call: the question waits for the call to end', () => {
    const { updater, updates, ask, downloaded } = setup();
    updates.onShellState({ ...ready, inCall: true });
    downloaded('0.2.0');
    expect(ask).not.toHaveBeenCalled();
    updates.answer('install-now');
    expect(updater.quitAndInstall).not.toHaveBeenCalled();
    updates.onShellState({ ...ready, ringing: true });
    expect(updater.quitAndInstall).not.toHaveBeenCalled();
    updates.onShellState(ready);
    expect(updater.quitAndInstall).toHaveBeenCalledTimes(1);
  });

  it('install at the next start when the agent says later', () => {
    const { updater, updates, downloaded } = setup();
    updates.onShellState(ready);
    downloaded('0.2.0');
    updates.answer('later');
    updates.onShellState({ ...ready, agentState: 'dnd' });
    expect(updater.quitAndInstall).not.toHaveBeenCalled();
    expect(updates.status().action).toBe('install-at-quit');
  });

  it('do nothing where no feed is configured (an embedded API, a development build)', () => {
    const { updater, timers } = setup(null);
    expect(updater.setFeedURL).not.toHaveBeenCalled();
    expect(timers).toHaveLength(0);
  });
});
