import fs from 'node:fs';
import path from 'node:path';
import type { AppInfo, EventPayload } from '../domain/bridge/contract';
import { t } from '../domain/i18n/tr';
import { createApiClient } from './api/http';
import { fileOfflineAuth } from './api/offline-auth';
import { filePhoneSecrets } from './api/phone-secrets';
import { fileSessionStore, plainCodec, type SecretCodec } from './api/session-store';
import { createDispatcher, type Dispatch } from './dispatcher';
import { EventHub } from './events';
import { createNotifier, type DesktopNotify } from './notifier';
import { createDiagnostics } from './diagnostics';
import type { ShellPort } from './shell-port';
import { createHandlers } from './handlers';
import { openAccessStore } from './store/access-store';
import { setWriteGate, openDatabase, type Db } from './store/database';
import { loadReferenceData } from './store/reference-repo';
import { createCallRepo } from './store/call-repo';
import { createEventRepo } from './store/event-repo';
import { createRoutingRepo } from './store/routing-repo';
import { createSokRepo } from './store/sok-repo';
import { SyncEngine, type SyncConfig } from './sync/engine';
import { StoreThread, type SpawnStoreWorker } from './sync/store-thread';
import { createNumberBlocks } from './sync/number-blocks';
import { createAccessLog } from './sync/access-log';
import { createOutbox } from './sync/outbox';
import { createWorkflow } from './workflow';

export interface ClientCoreOptions {
  dataDir: string;
  host: AppInfo['host'];
  version: string;
  /** Folder holding reference/bursa.json and the other runtime data. */
  resourcesDir: string;
  /** Base URL of the central API (embedded or remote). */
  apiUrl: string;
  /** Encrypts the stored session (Electron: safeStorage). */
  secretCodec?: SecretCodec;
  sync?: Partial<SyncConfig>;
  /**
   * Starts the store thread's worker (src/client/sync/store-worker.ts, bundled as
   * dist/store-worker.mjs): big pulled pages are read and stored there, so the agent's look-ups
   * never wait for a first sync. Without it they are stored on this thread, in slices.
   */
  storeWorker?: SpawnStoreWorker;
  /** False: no store thread even with `storeWorker` (ALO153_STORE_THREAD=0, for diagnosis). */
  storeThread?: boolean;
  /** Days within which an open ŞÖK on the same topic and mahalle is offered as a duplicate. */
  duplicateWindowDays?: number;
  /** Days since the last online sign-in within which a user may sign in offline (0 = never). */
  offlineSignInDays?: number;
  /** scrypt cost (log2 N) of the offline sign-in verifier; tests lower it. */
  offlineScryptLogN?: number;
  /**
   * Shows a system notification (Electron's Notification, from the main process). Every
   * notification is also the bridge event `app.notification`, shown by the page in both hosts.
   */
  desktopNotify?: DesktopNotify;
  /** The host's log file (src/client/log-file.ts), for diagnostics and the support bundle. */
  logFile?: { dir: string; tail(maxBytes: number): string };
  /** The desktop shell's side of the tray and the updater (Electron only). */
  shell?: ShellPort;
  fetch?: typeof fetch;
  now?: () => Date;
  log?: (message: string, error?: unknown) => void;
}

/** The client core: local store, sync and handlers. Knows nothing of Electron or WebSocket hosts. */
export interface ClientCore {
  dispatch: Dispatch;
  events: EventHub;
  db: Db;
  /** The access log's own file (src/client/store/access-store.ts). */
  accessDb: Db;
  sync: SyncEngine;
  /** The SIP servers configured on this PC, for the page's Content-Security-Policy. */
  phoneServers(): string[];
  close(): Promise<void>;
}

export function createClientCore(options: ClientCoreOptions): ClientCore {
  const log = options.log ?? ((m, e) => console.error(m, e));
  const now = options.now ?? (() => new Date());
  const file = path.join(options.dataDir, 'alo153.sqlite');
  const db = openDatabase(file);
  const reference: unknown = JSON.parse(
    fs.readFileSync(path.join(options.resourcesDir, 'reference', 'bursa.json'), 'utf8'),
  );
  loadReferenceData(db, reference);
  const installId = db
    .prepare("SELECT value FROM meta WHERE key = 'client.id'")
    .pluck()
    .get() as string;

  const events = new EventHub();
  const sessions = fileSessionStore(options.dataDir, options.secretCodec);
  const offlineAuth = fileOfflineAuth(options.dataDir, options.secretCodec ?? plainCodec, {
    maxAgeDays: options.offlineSignInDays ?? 7,
    ...(options.offlineScryptLogN ? { scryptLogN: options.offlineScryptLogN } : {}),
  });
  const api = createApiClient({
    baseUrl: options.apiUrl,
    sessions,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    offlineNeedsPasswordMessage: t('auth.offlineNeedsPassword'),
    onSessionEnded: (reason, code, user) => {
      // The server ended this user's sessions (deactivated, password changed or reset, signed
      // out elsewhere): offline sign-in here ends too, until the next online sign-in.
      if (code === 'account-disabled' || code === 'token-revoked')
        offlineAuth.forget(user.username);
      const why = code === 'offline-needs-password' ? reason : t('auth.offlineRefused', { reason });
      events.emit('auth.changed', {
        signedIn: false,
        reason: code.startsWith('token-') ? reason : why,
      });
    },
    onSessionUpgraded: (session, password) => {
      void offlineAuth
        .remember(session.user, password, now())
        .catch((e: unknown) => log('offline verifier not renewed', e));
    },
  });
  const soks = createSokRepo(db);
  const outbox = createOutbox(db);
  const accessDb = openAccessStore(path.join(options.dataDir, 'alo153-access.sqlite'), db);
  const accessLog = createAccessLog(accessDb);
  const blocks = createNumberBlocks(db);
  const timeline = createEventRepo(db);
  const routing = createRoutingRepo(db);
  const orgNames = db.prepare('SELECT name FROM organisation WHERE code = ?').pluck();
  const orgExternal = db.prepare('SELECT external FROM organisation WHERE code = ?').pluck();
  const workflow = createWorkflow({
    db,
    soks,
    sessions,
    orgName: (code) => (orgNames.get(code) as string | undefined) ?? code,
    orgExists: (code) => orgNames.get(code) !== undefined,
    isExternalOrg: (code) => orgExternal.get(code) === 1,
  });
  const thread =
    options.storeWorker && options.storeThread !== false
      ? new StoreThread({
          file,
          spawn: options.storeWorker,
          log,
        })
      : undefined;
  if (thread) setWriteGate(db, thread.gate);
  const sync = new SyncEngine({
    ...(thread ? { thread } : {}),
    db,
    api,
    sessions,
    outbox,
    accessLog,
    blocks,
    soks,
    timeline,
    routing,
    workflow,
    events,
    log,
    now,
    ...(options.sync ? { config: options.sync } : {}),
  });
  const calls = createCallRepo(db);
  const notifier = createNotifier({ events, now, system: options.desktopNotify, log });
  // A change the server refused waits for the user: tell them even when the window is away.
  events.subscribe((event, payload) => {
    if (event !== 'sync.rejected') return;
    const { mutationId, message } = payload as EventPayload<'sync.rejected'>;
    notifier.raise({
      kind: 'sync-rejected',
      key: `sync-rejected:${mutationId}`,
      title: t('notify.syncRejectedTitle'),
      body: message,
    });
  });
  const diagnostics = createDiagnostics({
    info: { version: options.version, host: options.host, dataDir: options.dataDir },
    apiUrl: options.apiUrl,
    logDir: options.logFile?.dir ?? null,
    readLogTail: (maxBytes) => options.logFile?.tail(maxBytes) ?? '',
    events,
    sync,
    outbox,
    sessions,
    sipServers: () => calls.servers(),
    ...(options.shell?.diagnostics ? { shell: options.shell.diagnostics } : {}),
    now,
  });
  const handlers = createHandlers({
    db,
    soks,
    timeline,
    routing,
    outbox,
    accessLog,
    blocks,
    events,
    api,
    sessions,
    offlineAuth,
    sync,
    workflow,
    installId,
    info: { version: options.version, host: options.host, dataDir: options.dataDir },
    now,
    duplicateWindowDays: options.duplicateWindowDays ?? 14,
    calls,
    phoneSecrets: filePhoneSecrets(options.dataDir, options.secretCodec ?? plainCodec),
    notifier,
    diagnostics,
    ...(options.shell ? { shell: options.shell } : {}),
  });
  const dispatch = createDispatcher(handlers, {
    onInternalError: (method, error) => log(`bridge method ${method} failed`, error),
  });
  sync.start();
  return {
    dispatch,
    events,
    db,
    accessDb,
    sync,
    phoneServers: () => calls.servers(),
    close: async () => {
      await sync.stop();
      db.close();
      accessDb.close();
    },
  };
}
