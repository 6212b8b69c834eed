import fs from 'node:fs';
import path from 'node:path';
import type { AppInfo } from '../domain/bridge/contract';
import { createDispatcher, type Dispatch } from './dispatcher';
import { EventHub } from './events';
import { createHandlers } from './handlers';
import { openDatabase, type Db } from './store/database';
import { loadReferenceData } from './store/reference-repo';
import { createSokRepo } from './store/sok-repo';

export interface ClientCoreOptions {
  dataDir: string;
  host: AppInfo['host'];
  version: string;
  /** Folder holding reference/bursa.json and the other runtime data. */
  resourcesDir: string;
  now?: () => Date;
  log?: (message: string, error?: unknown) => void;
}

/** The client core: local store, handlers and events. Knows nothing of Electron or WebSocket. */
export interface ClientCore {
  dispatch: Dispatch;
  events: EventHub;
  db: Db;
  close(): void;
}

export function createClientCore(options: ClientCoreOptions): ClientCore {
  const db = openDatabase(path.join(options.dataDir, 'alo153.sqlite'));
  const reference: unknown = JSON.parse(
    fs.readFileSync(path.join(options.resourcesDir, 'reference', 'bursa.json'), 'utf8'),
  );
  loadReferenceData(db, reference);
  const events = new EventHub();
  const handlers = createHandlers({
    db,
    soks: createSokRepo(db),
    events,
    info: { version: options.version, host: options.host, dataDir: options.dataDir },
    now: options.now ?? (() => new Date()),
  });
  const log = options.log ?? ((m, e) => console.error(m, e));
  const dispatch = createDispatcher(handlers, {
    onInternalError: (method, error) => log(`bridge method ${method} failed`, error),
  });
  return { dispatch, events, db, close: () => db.close() };
}
