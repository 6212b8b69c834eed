import type { AppUpdater, UpdateDownloadedEvent } from 'electron-updater';
import type { ShellState } from '../src/domain/shell';
import { IDLE_SHELL_STATE } from '../src/domain/shell';
import { decideUpdate, nextCheckDelayMs, type UpdateAction } from '../src/domain/update-policy';

/** The parts of electron-updater's AppUpdater the shell uses (a fake in tests). */
export type UpdaterLike = Pick<
  AppUpdater,
  'autoDownload' | 'autoInstallOnAppQuit' | 'setFeedURL' | 'checkForUpdates' | 'quitAndInstall'
> & {
  on(event: 'update-downloaded', listener: (info: UpdateDownloadedEvent) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
};

export interface UpdateStatus {
  feedUrl: string | null;
  lastCheckAt: string | null;
  lastError: string | null;
  downloaded: string | null;
  action: UpdateAction;
}

export interface DeskUpdatesOptions {
  updater: UpdaterLike;
  /** The generic provider's folder (…/updates/); null: updates are off on this desk. */
  feedUrl: string | null;
  installId: string;
  everyHours: number;
  /** Ask the agent to restart for `version` (the page shows the question). */
  ask(version: string): void;
  log(message: string, error?: unknown): void;
  now?: () => Date;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

/**
 * The desk's updates (issue #21): checks soon after start and then every few hours, spread
 * over the desks; electron-updater downloads in the background and verifies the package's
 * sha512 from the feed; installing (a restart) waits until no call rings or is talked and the
 * agent agrees, or happens when the app quits (autoInstallOnAppQuit), i.e. at the next start.
 */
export function startDeskUpdates(options: DeskUpdatesOptions) {
  const { updater } = options;
  const now = options.now ?? (() => new Date());
  const setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
  const clearTimer =
    options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  let shell: ShellState = IDLE_SHELL_STATE;
  let downloaded: string | null = null;
  let answer: 'install-now' | 'later' | null = null;
  let asked: string | null = null;
  let checksDone = 0;
  let timer: unknown = null;
  let lastCheckAt: string | null = null;
  let lastError: string | null = null;
  let installing = false;

  const action = () =>
    decideUpdate({ downloaded, ringing: shell.ringing, inCall: shell.inCall, answer });

  const act = () => {
    const next = action();
    if (next === 'ask-agent' && downloaded !== null && asked !== downloaded) {
      asked = downloaded;
      options.ask(downloaded);
    } else if (next === 'install-now' && !installing) {
      installing = true;
      options.log(`installing update ${downloaded ?? ''}`);
      updater.quitAndInstall(false, true);
    }
  };

  const check = async () => {
    lastCheckAt = now().toISOString();
    try {
      await updater.checkForUpdates();
      lastError = null;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
      options.log('update check failed', error);
    }
  };

  const schedule = () => {
    if (options.everyHours <= 0 && checksDone > 0) return;
    timer = setTimer(
      () => {
        void check().finally(() => {
          checksDone += 1;
          schedule();
        });
      },
      nextCheckDelayMs({
        installId: options.installId,
        checksDone,
        everyHours: options.everyHours,
      }),
    );
  };

  if (options.feedUrl !== null && options.everyHours > 0) {
    updater.autoDownload = true;
    updater.autoInstallOnAppQuit = true;
    updater.setFeedURL({ provider: 'generic', url: options.feedUrl });
    updater.on('update-downloaded', (info) => {
      downloaded = info.version;
      answer = null;
      options.log(`update ${info.version} downloaded and verified`);
      act();
    });
    updater.on('error', (error) => {
      lastError = error.message;
      options.log('updater error', error);
    });
    schedule();
  }

  return {
    /** The page's state changed (a call ended: time to ask). */
    onShellState(next: ShellState): void {
      shell = next;
      act();
    },
    /** The agent's answer to "restart now?". */
    answer(next: 'install-now' | 'later'): void {
      answer = next;
      act();
    },
    status(): UpdateStatus {
      return { feedUrl: options.feedUrl, lastCheckAt, lastError, downloaded, action: action() };
    },
    stop(): void {
      if (timer !== null) clearTimer(timer);
      timer = null;
    },
  };
}
