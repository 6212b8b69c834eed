import type { AppInfo } from '../domain/bridge/contract';
import {
  supportBundleName,
  type Diagnostics,
  type SipDiagnostics,
  type SyncErrorEntry,
} from '../domain/diagnostics';
import { redactLogText } from '../domain/log-redact';
import type { Download } from '../domain/supervisor';
import { describeError, type SyncEngine } from './sync/engine';
import type { SessionStore } from './api/http';
import type { EventHub } from './events';
import type { Outbox } from './sync/outbox';

export interface DiagnosticsSource {
  collect(): Diagnostics;
  /** The support bundle: diagnostics, the page's phone state and the log's last lines. */
  bundle(sip: SipDiagnostics): Download;
}

const KEEP_SYNC_ERRORS = 20;
/** Enough log for a morning's trouble, small enough to mail. */
const LOG_TAIL_BYTES = 512 * 1024;

export function createDiagnostics(deps: {
  info: AppInfo;
  apiUrl: string;
  logDir: string | null;
  readLogTail: (maxBytes: number) => string;
  events: EventHub;
  sync: Pick<SyncEngine, 'getStatus'>;
  outbox: Pick<Outbox, 'rejected'>;
  sessions: Pick<SessionStore, 'load'>;
  sipServers: () => string[];
  shell?: () => Record<string, unknown>;
  now: () => Date;
}): DiagnosticsSource {
  const syncErrors: SyncErrorEntry[] = [];
  deps.events.subscribe((event, payload) => {
    if (event !== 'sync.status') return;
    const message = (payload as { lastError: string | null }).lastError;
    if (message === null || syncErrors[0]?.message === message) return;
    syncErrors.unshift({ at: deps.now().toISOString(), message: redactLogText(message) });
    syncErrors.length = Math.min(syncErrors.length, KEEP_SYNC_ERRORS);
  });

  const collect = (): Diagnostics => {
    const status = deps.sync.getStatus();
    const user = deps.sessions.load()?.user ?? null;
    return {
      version: deps.info.version,
      host: deps.info.host,
      versions: Object.fromEntries(
        Object.entries(process.versions).filter(
          (e): e is [string, string] =>
            typeof e[1] === 'string' &&
            ['node', 'electron', 'chrome', 'v8', 'sqlite'].includes(e[0]),
        ),
      ),
      platform: `${process.platform} ${process.arch}`,
      dataDir: deps.info.dataDir,
      logDir: deps.logDir,
      apiUrl: deps.apiUrl,
      user: user ? { username: user.username, orgCode: user.orgCode, role: user.role } : null,
      sipServer: deps.sipServers()[0] ?? null,
      sync: {
        state: status.state,
        pending: status.pending,
        rejected: status.rejected,
        lastSyncAt: status.lastSyncAt,
        lastError: status.lastError === null ? null : redactLogText(status.lastError),
      },
      syncErrors: [...syncErrors],
      rejected: deps.outbox.rejected().map((m) => ({
        mutationId: m.mutationId,
        kind: m.kind,
        entityId: m.entityId,
        message: redactLogText(m.error ? describeError(m.error) : ''),
        at: m.createdAt,
      })),
      shell: deps.shell?.() ?? null,
    };
  };

  return {
    collect,
    bundle(sip) {
      const at = deps.now();
      const bundle = {
        kind: 'alo153-support-bundle',
        createdAt: at.toISOString(),
        diagnostics: collect(),
        sip: { state: sip.state, message: redactLogText(sip.message) },
        // Redacted when written; again here in case an older line slipped through.
        log: redactLogText(deps.readLogTail(LOG_TAIL_BYTES)),
      };
      return {
        filename: supportBundleName(at),
        contentType: 'application/json',
        base64: Buffer.from(JSON.stringify(bundle, null, 2), 'utf8').toString('base64'),
      };
    },
  };
}
