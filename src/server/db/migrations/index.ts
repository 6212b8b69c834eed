import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-initial';
import * as m0002 from './0002-notifications';
import * as m0003 from './0003-intake-routing';
import * as m0004 from './0004-api-keys';
import * as m0005 from './0005-callbacks';
import * as m0006 from './0006-calls';
import * as m0007 from './0007-supervisor';
import * as m0008 from './0008-missed-calls';
import * as m0009 from './0009-agent-calls';
import * as m0010 from './0010-supervisor-stats';
import * as m0011 from './0011-notification-unmarked';
import * as m0012 from './0012-redundant-indexes';
import * as m0013 from './0013-auth-throttle';
import * as m0014 from './0014-admin-owned-mailboxes';
import * as m0015 from './0015-canonical-call-numbers';
import * as m0016 from './0016-routing-rule-history';
import * as m0017 from './0017-mailbox';
import * as m0018 from './0018-kvkk';
import * as m0019 from './0019-call-line';
import * as m0020 from './0020-external-orgs';
import * as m0021 from './0021-kvkk-reminders';
import * as m0022 from './0022-org-mail-recipient';
import * as m0023 from './0023-call-log-sip-call-id';

/**
 * Every migration, by name. A static list rather than Kysely's FileMigrationProvider so the
 * server still migrates when bundled into one file (the desktop host embeds it). Names sort in
 * the order they run; never rename or edit one that has shipped: add the next file.
 */
export const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-notifications': m0002,
  '0003-intake-routing': m0003,
  '0004-api-keys': m0004,
  '0005-callbacks': m0005,
  '0006-calls': m0006,
  '0007-supervisor': m0007,
  '0008-missed-calls': m0008,
  '0009-agent-calls': m0009,
  '0010-supervisor-stats': m0010,
  '0011-notification-unmarked': m0011,
  '0012-redundant-indexes': m0012,
  '0013-auth-throttle': m0013,
  '0014-admin-owned-mailboxes': m0014,
  '0015-canonical-call-numbers': m0015,
  '0016-routing-rule-history': m0016,
  '0017-mailbox': m0017,
  '0018-kvkk': m0018,
  '0019-call-line': m0019,
  '0020-external-orgs': m0020,
  '0021-kvkk-reminders': m0021,
  '0022-org-mail-recipient': m0022,
  '0023-call-log-sip-call-id': m0023,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
