import { t } from '../../domain/i18n/tr';
import { ApiFailure, NetworkFailure, type SessionStore } from '../api/http';
import type { EventHub } from '../events';
import type { NumberBlocks } from './number-blocks';
import type { Outbox } from './outbox';
import { PushFailure } from './push';

export type ConnectionState = 'online' | 'offline' | 'signed-out' | 'syncing';

export interface SyncStatus {
  state: ConnectionState;
  pending: number;
  /** Mutations of another user of this PC, pushed when they sign in again. */
  othersPending: number;
  rejected: number;
  lastSyncAt: string | null;
  lastError: string | null;
  numbersLeft: number;
}

export interface SyncStatusDeps {
  sessions: SessionStore;
  outbox: Outbox;
  blocks: NumberBlocks;
  events: EventHub;
}

/** The sync status the desk shows; every change is announced as `sync.status`. */
export class SyncStatusBoard {
  private status: SyncStatus;

  constructor(
    private readonly deps: SyncStatusDeps,
    lastSyncAt: string | null,
  ) {
    this.status = {
      state: deps.sessions.load() ? 'offline' : 'signed-out',
      pending: 0,
      othersPending: 0,
      rejected: 0,
      lastSyncAt,
      lastError: null,
      numbersLeft: 0,
    };
  }

  get(): SyncStatus {
    return { ...this.status };
  }

  /** Counts the outbox and the numbers left again (after a local change or a push). */
  refreshCounts(): void {
    const session = this.deps.sessions.load();
    const userId = session?.user.id ?? '';
    const counts = this.deps.outbox.counts(userId);
    this.set({
      pending: counts.pending,
      othersPending: counts.othersPending,
      rejected: counts.rejected,
      numbersLeft: userId ? this.deps.blocks.remaining(userId) : 0,
    });
  }

  set(patch: Partial<SyncStatus>): void {
    const next = { ...this.status, ...patch };
    const changed = (Object.keys(next) as (keyof SyncStatus)[]).some(
      (k) => next[k] !== this.status[k],
    );
    this.status = next;
    if (changed) this.deps.events.emit('sync.status', next);
  }
}

/** Why the last sync failed, in words for the user (never just "offline"). */
export function failureReason(error: unknown): string {
  const push = error instanceof PushFailure;
  const cause = push ? error.cause : error;
  let reason: string;
  if (cause instanceof ApiFailure) reason = cause.userMessage ?? cause.message;
  else {
    // The API client words an answer it could not use as "… HTTP <status>".
    const status = cause instanceof NetworkFailure ? /HTTP (\d{3})$/.exec(cause.message) : null;
    reason = status ? t('sync.serverError', { status: status[1] ?? '' }) : t('sync.unreachable');
  }
  return push ? t('sync.pushFailed', { reason }) : reason;
}
