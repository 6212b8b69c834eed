import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientCore } from '../../src/client/core';
import { storeFormat } from '../../src/client/sync/seed';
import type { Sok, SokSearchResult } from '../../src/domain/sok';
import { closeOnServer, nameOf, phoneOf, seededApi } from '../support/seeded-api';
import type { ServerDb } from '../../src/server/db/open';
import { AGENT, call, eventually, openClient, signInAs, validDraft } from '../support/stack';
import { spawnSourceSeedBuilder, spawnSourceStoreWorker } from '../support/store-worker';

/**
 * A first sync from a seed (docs/sync.md): the API keeps a desk store of each scope, built by
 * the desk's own code from the pages a desk would pull; a new desk copies it, search rows
 * included, then pulls what came after. It must be exactly what pulling page by page gives.
 */
const SOKS = 120;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Desk {
  core: ClientCore;
  logs: string[];
  dir: string;
}

function openDesk(
  root: string,
  url: string,
  name: string,
  seed = true,
  fetchImpl?: typeof fetch,
): Desk {
  const logs: string[] = [];
  const dir = path.join(root, name);
  const core = openClient(dir, url, {
    storeWorker: spawnSourceStoreWorker,
    log: (message, error) => logs.push(`${message}${error ? ` ${String(error)}` : ''}`),
    sync: { auto: false, pullPage: 50, seed },
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
  cleanups.push(() => core.close());
  return { core, logs, dir };
}

async function signIn(desk: Desk): Promise<void> {
  await call(desk.core, 'auth.login', { username: AGENT.username, password: AGENT.password });
}

const ids = (db: Database.Database, sql: string) =>
  (db.prepare(sql).pluck().all() as string[]).sort();

const search = async (desk: Desk, query: string) =>
  (await call<SokSearchResult>(desk.core, 'sok.search', { query, limit: 50 })).items
    .map((item) => item.id)
    .sort();

/** An access token of the user, for the API itself. */
async function tokenOf(
  url: string,
  user: { username: string; password: string } = AGENT,
): Promise<string> {
  const login = await fetch(`${url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      username: user.username,
      password: user.password,
      clientId: 'seed-test',
    }),
  });
  expect(login.status).toBe(200);
  return ((await login.json()) as { accessToken: string }).accessToken;
}

/**
 * Waits until the API has a seed for the user's scope (a first desk's request started it) that
 * holds every change after `after`; answers its cursor.
 */
async function seedReady(
  url: string,
  format: string,
  user: { username: string; password: string } = AGENT,
  after = 0,
): Promise<number> {
  const token = await tokenOf(url, user);
  let cursor = 0;
  await eventually(async () => {
    const answer = await fetch(`${url}/sync/seed?format=${encodeURIComponent(format)}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await answer.arrayBuffer();
    if (answer.status !== 200) throw new Error(`no seed yet (${answer.status})`);
    cursor = Number(answer.headers.get('x-seed-cursor'));
    if (cursor <= after) throw new Error(`the seed is at ${cursor}`);
  }, 30_000);
  return cursor;
}

/** A first desk pulls page by page (no seed yet) and so has the API build one. */
async function firstDeskAndSeed(
  overrides: Parameters<typeof seededApi>[3] = {},
  before?: (soks: Sok[], db: ServerDb) => Promise<void>,
): Promise<{ url: string; root: string; soks: Sok[]; paged: Desk; cursor: number }> {
  const { api, root, soks } = await seededApi(
    SOKS,
    cleanups,
    { seedBuilder: spawnSourceSeedBuilder },
    overrides,
  );
  await before?.(soks, api.server.db);
  // (Page by page whatever the API holds; its own requests below have the seed built.)
  const paged = openDesk(root, api.url, 'paged', false);
  await signIn(paged);
  await paged.core.sync.syncNow();
  expect(paged.core.db.prepare('SELECT count(*) FROM sok').pluck().get()).toBe(SOKS);
  const cursor = await seedReady(api.url, storeFormat(paged.core.db));
  return { url: api.url, root, soks, paged, cursor };
}

function ftsIntact(db: Database.Database): void {
  for (const table of ['sok_search', 'sok_search_name', 'sok_search_place']) {
    db.prepare(`INSERT INTO ${table}(${table}) VALUES ('integrity-check')`).run();
  }
}

describe('a first sync from a seed', () => {
  it('gives a new desk exactly what pulling page by page gives, search included, and what came after the seed', async () => {
    // Five closed two months ago: a desk keeps them without the citizen's details (KVKK).
    const { url, root, soks, paged } = await firstDeskAndSeed({}, (all, db) =>
      closeOnServer(
        db,
        all.slice(10, 15).map((s) => s.id),
        60,
      ),
    );
    // After the seed was built: a new ŞÖK, and a change to a seeded one.
    const later = await call<Sok>(paged.core, 'sok.create', {
      ...validDraft,
      citizenName: 'Vatandaş Sonradanoğlu',
      citizenPhone: '0532 999 88 77',
      description: 'Tohumdan sonra gelen kayıt',
    });
    await paged.core.sync.syncNow();
    expect(paged.core.sync.getStatus()).toMatchObject({ pending: 0, lastError: null });

    const seeded = openDesk(root, url, 'seeded');
    await signIn(seeded);
    await seeded.core.sync.syncNow();
    expect(seeded.core.sync.getStatus()).toMatchObject({ state: 'online', lastError: null });
    expect(seeded.logs.join('\n')).toContain(`first sync from a seed: ${SOKS} ŞÖKs`);
    // The seed file is gone once copied.
    expect(fs.readdirSync(seeded.dir).filter((f) => f.includes('.seed'))).toEqual([]);

    // The same rows as the desk that pulled page by page (and pulled the later ŞÖK too).
    for (const sql of [
      'SELECT id FROM sok',
      'SELECT id FROM sok_event',
      'SELECT id FROM receipt',
    ]) {
      expect(ids(seeded.core.db, sql)).toEqual(ids(paged.core.db, sql));
    }
    expect(ids(seeded.core.db, 'SELECT id FROM sok')).toContain(later.id);
    const rows = (db: Database.Database) =>
      db
        .prepare(
          `SELECT id, reg_no, citizen_name, citizen_phone, citizen_email, status, updated_at,
                  target_org, contact_masked, phone_tail, personal_dropped_at IS NOT NULL AS dropped
             FROM sok ORDER BY id`,
        )
        .all();
    expect(rows(seeded.core.db)).toEqual(rows(paged.core.db));
    expect(
      seeded.core.db
        .prepare(
          "SELECT count(*) FROM sok WHERE citizen_name = '' AND personal_dropped_at IS NOT NULL",
        )
        .pluck()
        .get(),
    ).toBe(5);
    expect(seeded.core.db.prepare('SELECT count(*) FROM sok_search_pending').pluck().get()).toBe(0);
    ftsIntact(seeded.core.db);

    // Every way of finding a ŞÖK answers alike.
    const sample = [0, 7, Math.floor(SOKS / 2), SOKS - 1].map((i) => [i, soks[i] as Sok] as const);
    for (const [i, sok] of sample) {
      const regNo = paged.core.db
        .prepare('SELECT reg_no FROM sok WHERE id = ?')
        .pluck()
        .get(sok.id);
      expect(regNo).toMatch(/\d/);
      for (const query of [
        String(regNo),
        phoneOf(i).replace(/\D/g, '').slice(-4),
        `Vatandaş ${nameOf(i)}`,
        `${nameOf(i)}lar Sok.`,
        `${nameOf(i)}tepe`,
      ]) {
        const found = await search(seeded, query);
        expect(found, query).toContain(sok.id);
        expect(found, query).toEqual(await search(paged, query));
      }
    }
    expect(await search(seeded, 'Sonradanoğlu')).toEqual([later.id]);

    // The desk goes on: its own registration and the server's later changes are indexed on
    // top of the copied search rows.
    const own = await call<Sok>(seeded.core, 'sok.create', {
      ...validDraft,
      citizenName: 'Vatandaş Tohumlu',
      description: 'Masadan kayıt',
    });
    await seeded.core.sync.syncNow();
    const third = await call<Sok>(paged.core, 'sok.create', {
      ...validDraft,
      citizenName: 'Vatandaş Üçüncüoğlu',
    });
    await paged.core.sync.syncNow();
    await seeded.core.sync.syncNow();
    expect(await search(seeded, 'Tohumlu')).toEqual([own.id]);
    expect(await search(seeded, 'Üçüncüoğlu')).toEqual([third.id]);
    expect(await search(seeded, `Vatandaş ${nameOf(0)}`)).toContain(soks[0]?.id);
    ftsIntact(seeded.core.db);
  });

  it('is not used for a store that holds work of its own, and a corrupt download is dropped: the desk pulls page by page', async () => {
    const { url, root } = await firstDeskAndSeed();

    // Registered before the first sync: the seed would overwrite it, so it is not copied.
    const busy = openDesk(root, url, 'busy');
    await signIn(busy);
    const mine = await call<Sok>(busy.core, 'sok.create', {
      ...validDraft,
      citizenName: 'Vatandaş Erkenci',
      // (Its routing rules come with the first sync: the suggestion may differ.)
      routeReason: 'İlk eşitlemeden önce kaydedildi',
    });
    await busy.core.sync.syncNow();
    expect(busy.logs.join('\n')).not.toContain('first sync from a seed');
    expect(busy.core.db.prepare('SELECT count(*) FROM sok').pluck().get()).toBe(SOKS + 1);
    expect(busy.core.sync.getStatus()).toMatchObject({ pending: 0, lastError: null });
    expect(await search(busy, 'Erkenci')).toEqual([mine.id]);

    // A byte changed on the way: the SHA-256 does not match, nothing is copied.
    const flipping: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!String(input).includes('/sync/seed') || !response.ok) return response;
      const bytes = new Uint8Array(await response.arrayBuffer());
      const middle = Math.floor(bytes.length / 2);
      bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
      return new Response(bytes, { status: 200, headers: response.headers });
    };
    const corrupt = openDesk(root, url, 'corrupt', true, flipping);
    await signIn(corrupt);
    await corrupt.core.sync.syncNow();
    const log = corrupt.logs.join('\n');
    expect(log).toContain('first-sync seed not used');
    expect(log).not.toContain('first sync from a seed');
    expect(corrupt.core.db.prepare('SELECT count(*) FROM sok').pluck().get()).toBe(SOKS + 1);
    expect(fs.readdirSync(corrupt.dir).filter((f) => f.includes('.seed'))).toEqual([]);
    expect(corrupt.core.sync.getStatus()).toMatchObject({ state: 'online', lastError: null });
  });

  it('is brought up to date from the previous seed when it is old, and is per organisation', async () => {
    const { url, root, paged, cursor } = await firstDeskAndSeed({
      seeds: { refreshSeconds: 1 },
    });
    // Two ŞÖKs in Nilüfer, registered after the first seed.
    const nilufer = [];
    for (const name of ['Vatandaş Nilüferli', 'Vatandaş Görükleli']) {
      nilufer.push(
        await call<Sok>(paged.core, 'sok.create', {
          ...validDraft,
          districtCode: 'nilufer',
          mahalle: 'Görükle',
          citizenName: name,
          targetOrg: 'ilce.nilufer',
          routeReason: 'Nilüfer belediyesinin işi',
        }),
      );
    }
    await paged.core.sync.syncNow();
    expect(paged.core.sync.getStatus()).toMatchObject({ pending: 0, lastError: null });
    await new Promise((r) => setTimeout(r, 1100));
    // Asked for after a second, the seed is rebuilt from the last one with what came since.
    const format = storeFormat(paged.core.db);
    await seedReady(url, format, AGENT, cursor);
    const late = openDesk(root, url, 'late');
    await signIn(late);
    await late.core.sync.syncNow();
    expect(late.logs.join('\n')).toContain(`first sync from a seed: ${SOKS + 2} ŞÖKs`);
    expect(await search(late, 'Görükleli')).toEqual([nilufer[1]?.id]);

    // A district desk's seed holds its organisation's ŞÖKs only.
    const masa = {
      username: 'masa.nilufer',
      displayName: 'Nilüfer Masa',
      password: 'masa-parola-2026',
      role: 'desk',
      orgCode: 'ilce.nilufer',
    };
    const first = openDesk(root, url, 'nilufer-1');
    await signInAs(first.core, masa);
    await first.core.sync.syncNow();
    expect(ids(first.core.db, 'SELECT id FROM sok')).toEqual(nilufer.map((s) => s.id).sort());
    await seedReady(url, format, masa);
    const second = openDesk(root, url, 'nilufer-2');
    await call(second.core, 'auth.login', { username: masa.username, password: masa.password });
    await second.core.sync.syncNow();
    expect(second.logs.join('\n')).toContain('first sync from a seed: 2 ŞÖKs');
    expect(ids(second.core.db, 'SELECT id FROM sok')).toEqual(nilufer.map((s) => s.id).sort());
    expect(ids(second.core.db, 'SELECT id FROM sok_event')).toEqual(
      ids(first.core.db, 'SELECT id FROM sok_event'),
    );
  });

  it('lets desks pull page by page when the builder fails, without building again on every request', async () => {
    let spawned = 0;
    const { api, root } = await seededApi(20, cleanups, {
      seedBuilder: (data) => {
        spawned++;
        return new Worker("throw new Error('the builder is broken')", {
          eval: true,
          workerData: data,
        });
      },
    });
    const desk = openDesk(root, api.url, 'desk');
    await signIn(desk);
    await desk.core.sync.syncNow();
    expect(desk.core.sync.getStatus()).toMatchObject({ state: 'online', lastError: null });
    expect(desk.core.db.prepare('SELECT count(*) FROM sok').pluck().get()).toBe(20);
    const again = openDesk(root, api.url, 'again');
    await signIn(again);
    await again.core.sync.syncNow();
    expect(again.core.db.prepare('SELECT count(*) FROM sok').pluck().get()).toBe(20);
    // Built once (as the API started, for the call centre) and failed: not tried again for
    // every desk's request.
    expect(spawned).toBe(1);
  });

  it('is served only to a signed-in user, for the store format it was built for', async () => {
    const { url, paged } = await firstDeskAndSeed();
    const format = storeFormat(paged.core.db);
    const anonymous = await fetch(`${url}/sync/seed?format=${format}`);
    expect(anonymous.status).toBe(401);
    await anonymous.arrayBuffer();
    const token = await tokenOf(url);
    const other = await fetch(`${url}/sync/seed?format=another-format`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(other.status).toBe(404);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe('not-found');
    const seed = await fetch(`${url}/sync/seed?format=${format}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(seed.status).toBe(200);
    expect(seed.headers.get('content-type')).toBe('application/vnd.sqlite3');
    expect(seed.headers.get('x-seed-scope')).toMatch(/^all:/);
    // Gzipped on the way (fetch asks for it and inflates it), the file's own size and hash.
    expect(seed.headers.get('content-encoding')).toBe('gzip');
    const bytes = Buffer.from(await seed.arrayBuffer());
    expect(Number(seed.headers.get('content-length'))).toBeLessThan(bytes.length);
    expect(bytes.length).toBe(Number(seed.headers.get('x-seed-size')));
    expect(createHash('sha256').update(bytes).digest('base64url')).toBe(
      seed.headers.get('x-seed-sha256'),
    );
    expect(bytes.subarray(0, 15).toString()).toBe('SQLite format 3');
    // One more request: the API has finished sending the file before it is closed (a response
    // it is still finishing keeps its connection open through a close, for the keep-alive time).
    expect((await fetch(`${url}/health`)).status).toBe(200);
  });
});
