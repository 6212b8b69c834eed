import type { ServerDb } from '../db/open';
import { InProcessChangeNotifier, type ChangeNotifier, type NotifierLog } from './notifier';
import { startPgChangeNotifier } from './pg-notifier';

export type { ChangeListener, ChangeNotifier, NotifierLog } from './notifier';
export { InProcessChangeNotifier } from './notifier';
export { CHANGE_CHANNEL, startPgChangeNotifier } from './pg-notifier';

/** PostgreSQL: LISTEN/NOTIFY across instances. SQLite: one process, in-process delivery. */
export async function createChangeNotifier(
  db: ServerDb,
  log?: NotifierLog,
): Promise<ChangeNotifier> {
  if (db.dialect === 'postgres' && db.databaseUrl !== undefined) {
    return startPgChangeNotifier({ connectionString: db.databaseUrl, db, ...(log ? { log } : {}) });
  }
  return new InProcessChangeNotifier(log);
}
