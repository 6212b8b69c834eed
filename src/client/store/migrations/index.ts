import type { Migration } from '../migrate';
import { initial } from './0001-initial';
import { sync } from './0002-sync';
import { searchPrefixes } from './0003-search-prefixes';
import { intake } from './0004-intake';
import { draftsAndLists } from './0005-drafts-and-lists';
import { receipts } from './0006-receipts';
import { callbacks } from './0007-callbacks';
import { calls } from './0008-calls';
import { searchPending } from './0009-search-pending';
import { searchClasses } from './0011-search-classes';
import { canonicalCallNumbers } from './0012-canonical-call-numbers';
import { searchDetailNone } from './0013-search-detail-none';
import { kvkkDesk } from './0014-kvkk-desk';
import { externalOrgs } from './0018-external-orgs';

export const migrations: readonly Migration[] = [
  initial,
  sync,
  searchPrefixes,
  intake,
  draftsAndLists,
  receipts,
  callbacks,
  calls,
  searchPending,
  searchClasses,
  canonicalCallNumbers,
  searchDetailNone,
  kvkkDesk,
  externalOrgs,
];

/** The schema version a fully migrated store has (numbers may skip, see migrate.ts). */
export const latestVersion = Math.max(...migrations.map((m) => m.version));
