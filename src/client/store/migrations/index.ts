import type { Migration } from '../migrate';
import { initial } from './0001-initial';
import { sync } from './0002-sync';
import { searchPrefixes } from './0003-search-prefixes';
import { intake } from './0004-intake';
import { draftsAndLists } from './0005-drafts-and-lists';
import { receipts } from './0006-receipts';
import { searchPending } from './0007-search-pending';

export const migrations: readonly Migration[] = [
  initial,
  sync,
  searchPrefixes,
  intake,
  draftsAndLists,
  receipts,
  searchPending,
];
