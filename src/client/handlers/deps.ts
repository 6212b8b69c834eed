import type { AppInfo } from '../../domain/bridge/contract';
import type { ApiClient, SessionStore } from '../api/http';
import type { OfflineAuth } from '../api/offline-auth';
import type { PhoneSecrets } from '../api/phone-secrets';
import type { EventHub } from '../events';
import type { Notifier } from '../notifier';
import type { DiagnosticsSource } from '../diagnostics';
import type { ShellPort } from '../shell-port';
import type { CallRepo } from '../store/call-repo';
import type { Db } from '../store/database';
import type { EventRepo } from '../store/event-repo';
import type { RoutingRepo } from '../store/routing-repo';
import type { SokRepo } from '../store/sok-repo';
import type { SyncEngine } from '../sync/engine';
import type { AccessLog } from '../sync/access-log';
import type { NumberBlocks } from '../sync/number-blocks';
import type { Outbox } from '../sync/outbox';
import type { Workflow } from '../workflow';

/** Everything a handler may use; built once by the client core. */
export interface HandlerDeps {
  db: Db;
  soks: SokRepo;
  timeline: EventRepo;
  routing: RoutingRepo;
  outbox: Outbox;
  /** The desk's KVKK access log, sent by sync. */
  accessLog: AccessLog;
  blocks: NumberBlocks;
  events: EventHub;
  api: ApiClient;
  sessions: SessionStore;
  /** Password verifiers for signing in while the API is unreachable. */
  offlineAuth: OfflineAuth;
  sync: SyncEngine;
  workflow: Workflow;
  info: AppInfo;
  /** This installation's id (meta client.id). */
  installId: string;
  now: () => Date;
  /** An open ŞÖK on the same topic and mahalle this recent is offered as a duplicate. */
  duplicateWindowDays: number;
  /** Phone settings, call log and agent state (local). */
  calls: CallRepo;
  /** Each user's SIP password, encrypted apart from the store. */
  phoneSecrets: PhoneSecrets;
  /** Desktop notifications: the `app.notification` event, and Electron's system one. */
  notifier: Notifier;
  /** "Tanı bilgisi" and the support bundle. */
  diagnostics: DiagnosticsSource;
  /** The desktop shell's side (Electron: tray, updater); absent in the browser host. */
  shell?: ShellPort;
}
