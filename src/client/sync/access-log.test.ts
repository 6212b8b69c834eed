import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SokDraftSchema } from '../../domain/sok';
import { SokWireSchema, type SokWire } from '../../domain/sync';
import { referenceJson, tempDir, validDraft } from '../../../test/support/client-fixtures';
import type { ApiClient } from '../api/http';
import { NetworkFailure } from '../api/http';
import { openDatabase, type Db } from '../store/database';
import { loadReferenceData } from '../store/reference-repo';
import { createSokRepo } from '../store/sok-repo';
import { createAccessLog, pushAccessLog, type AccessLog } from './access-log';
import { createOutbox } from './outbox';

let tmp: ReturnType<typeof tempDir>;
let db: Db;
let log: AccessLog;
const at = new Date('2026-12-07T09:00:00Z');
const minutes = (n: number) => new Date(at.getTime() + n * 60_000);
const SOK = '8c7a8a3e-2f59-4a55-9a43-1c1d4c3f0a01';

beforeEach(() => {
  tmp = tempDir();
  db = openDatabase(`${tmp.dir}/store.sqlite`);
  log = createAccessLog(db);
});
afterEach(() => {
  db.close();
  tmp.cleanup();
});

function fakeApi(answers: (() => Promise<{ stored: number }>)[]) {
  const sent: string[][] = [];
  const api = {
    kvkk: {
      recordAccess: ({ body }: { body: { entries: { id: string }[] } }) => {
        sent.push(body.entries.map((e) => e.id));
        return (answers.shift() ?? (() => Promise.resolve({ stored: 0 })))();
      },
    },
  } as unknown as ApiClient;
  return { api, sent };
}

describe("the desk's access log", () => {
  it('counts a screen showing the same ŞÖK again soon as the same view', () => {
    log.record('u1', 'view', [SOK], at);
    log.record('u1', 'view', [SOK], minutes(3));
    log.record('u1', 'caller-history', [SOK], minutes(3));
    log.record('u2', 'view', [SOK], minutes(4));
    log.record('u1', 'view', [SOK], minutes(11));
    expect(log.pending('u1', 10).map((e) => [e.kind, e.at])).toEqual([
      ['view', at.toISOString()],
      ['caller-history', minutes(3).toISOString()],
      ['view', minutes(11).toISOString()],
    ]);
    expect(log.pending('u2', 10)).toHaveLength(1);
  });

  it('logs a live list of 500 rows once per ŞÖK in 10 minutes, the rows added later too', () => {
    const ids = Array.from(
      { length: 500 },
      (_, i) => `8c7a8a3e-2f59-4a55-9a43-${String(i).padStart(12, '0')}`,
    );
    log.record('u1', 'list', ids, at, 'geri arama kuyruğu');
    // Refreshes: the same rows (one shown twice), then one new row among them.
    log.record('u1', 'list', [...ids, ids[0]!], minutes(1), 'geri arama kuyruğu');
    log.record('u1', 'list', [SOK, ...ids], minutes(2), 'geri arama kuyruğu');
    expect(log.count()).toBe(501);
    expect(log.pending('u1', 1000).filter((e) => e.sokId === SOK)).toHaveLength(1);
    // After 10 minutes the same rows are a new view.
    log.record('u1', 'list', ids, minutes(10), 'geri arama kuyruğu');
    expect(log.count()).toBe(1001);
  });

  it('records every reveal and every export, however soon repeated (acts, not reloads)', () => {
    log.record('u1', 'reveal', [SOK], at);
    log.record('u1', 'reveal', [SOK], minutes(1));
    log.record('u1', 'export', [SOK], minutes(2));
    log.record('u1', 'export', [SOK], minutes(3));
    expect(log.pending('u1', 10).map((e) => e.kind)).toEqual([
      'reveal',
      'reveal',
      'export',
      'export',
    ]);
  });

  it("sends only the user's own entries, keeps them while unsent and resends the same ids", async () => {
    log.record('u1', 'view', [SOK], at);
    log.record('u2', 'view', [SOK], at);
    const { api, sent } = fakeApi([
      () => Promise.reject(new NetworkFailure('down')),
      () => Promise.resolve({ stored: 1 }),
    ]);
    await expect(pushAccessLog({ api, accessLog: log }, 'u1')).rejects.toThrow(NetworkFailure);
    expect(log.count()).toBe(2);
    await pushAccessLog({ api, accessLog: log }, 'u1');
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual(sent[0]);
    expect(log.pending('u1', 10)).toEqual([]);
    expect(log.pending('u2', 10)).toHaveLength(1);
  });
});

describe('dropping closed ŞÖKs’ contact data on the desk', () => {
  it('drops only closed ŞÖKs older than the cut-off with nothing waiting to be sent', () => {
    loadReferenceData(db, referenceJson());
    const soks = createSokRepo(db);
    const outbox = createOutbox(db);
    const draft = SokDraftSchema.parse(validDraft);
    const opts = { regNo: null, originOrg: 'bikom', createdBy: 'u1' };
    const old = soks.insert(draft, { ...opts, now: new Date('2026-10-01T08:00:00Z') });
    const recent = soks.insert(draft, { ...opts, now: new Date('2026-11-30T08:00:00Z') });
    const open = soks.insert(draft, { ...opts, now: new Date('2026-10-01T08:00:00Z') });
    const waiting = soks.insert(draft, { ...opts, now: new Date('2026-10-01T08:00:00Z') });
    db.prepare(`UPDATE sok SET status = 'closed' WHERE id IN (?, ?, ?)`).run(
      old.id,
      recent.id,
      waiting.id,
    );
    outbox.enqueue('sok.addContact', waiting.id, {}, 'u1', at);

    expect(soks.dropPersonalData(new Date('2026-11-07T09:00:00Z'), at)).toBe(1);
    expect(soks.get(old.id)).toMatchObject({
      personalDataOffDesk: true,
      citizenName: '',
      citizenPhone: '',
      citizenEmail: '',
      address: '',
      latitude: null,
    });
    for (const kept of [recent, open, waiting]) {
      expect(soks.get(kept.id)).toMatchObject({ citizenName: 'Ayşe Işık' });
      expect(soks.get(kept.id)?.personalDataOffDesk).toBeUndefined();
    }
    // The server's version brings them back (a change): the mark goes with it.
    const fresh = soks.get(recent.id)!;
    const wire: SokWire = SokWireSchema.parse({
      ...Object.fromEntries(Object.entries(fresh).filter(([k]) => k !== 'syncState')),
      id: old.id,
      regNo: '0001-0001',
    });
    soks.upsertFromServer(wire);
    expect(soks.get(old.id)?.personalDataOffDesk).toBeUndefined();
  });
});
