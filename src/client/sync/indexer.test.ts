import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SokDraftSchema } from '../../domain/sok';
import type { SokWire } from '../../domain/sync';
import { CACHE_KIB, openDatabase, type Db } from '../store/database';
import { loadReferenceData } from '../store/reference-repo';
import { createSokRepo, type SokRepo } from '../store/sok-repo';
import { referenceJson, tempDir, validDraft } from '../../../test/support/client-fixtures';
import { BackgroundIndexer } from './indexer';

let tmp: ReturnType<typeof tempDir>;
let db: Db;
let repo: SokRepo;

beforeEach(() => {
  tmp = tempDir();
  db = openDatabase(`${tmp.dir}/store.sqlite`);
  loadReferenceData(db, referenceJson());
  repo = createSokRepo(db);
});
afterEach(() => {
  db.close();
  tmp.cleanup();
});

const until = async (check: () => boolean) => {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
};

describe('background indexing after a bulk load', () => {
  it('builds the list indexes, then the search rows, then gives the bulk-load memory back', async () => {
    const template = repo.insert(SokDraftSchema.parse(validDraft), {
      regNo: null,
      now: new Date('2026-11-01T08:00:00Z'),
      originOrg: 'bikom',
      createdBy: 'u1',
    });
    expect(repo.suspendListIndexes(1000)).toBe(true);
    expect(db.pragma('cache_size', { simple: true })).not.toBe(CACHE_KIB);
    for (let i = 0; i < 400; i++) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const sok = { ...template, id, regNo: null, description: `Kaldırım ${i} kırık.` };
      repo.upsertFromServer(sok as unknown as SokWire, { deferIndex: true });
    }
    expect(repo.search('kaldırım', 10).items).toHaveLength(0);
    expect(repo.search('kaldırım', 10).indexing).toBe(400);
    let busy = true;
    const indexer = new BackgroundIndexer({ soks: repo, busy: () => busy });
    indexer.start();
    await new Promise((r) => setTimeout(r, 30));
    // Nothing happens while a sync run holds the store.
    expect(repo.searchBacklog()).toBe(400);
    busy = false;
    indexer.schedule();
    await until(() => repo.searchBacklog() === 0);
    indexer.stop();
    expect(db.prepare("SELECT 1 FROM meta WHERE key = 'sok.suspendedIndexes'").get()).toBe(
      undefined,
    );
    expect(repo.search('kaldırım', 500).items).toHaveLength(400);
    expect(db.pragma('cache_size', { simple: true })).toBe(CACHE_KIB);
  });
});
