import { subDays } from 'date-fns';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { ClientCore } from '../../src/client/core';
import type { Sok } from '../../src/domain/sok';
import type { ServerDb } from '../../src/server/db/open';
import { bumpCounter, withWriteLock } from '../../src/server/db/write-lock';
import {
  call,
  openClient,
  signInAs,
  startTestApi,
  tempDir,
  validDraft,
  type TestApi,
} from './stack';

/** A surname of its own for the i-th ŞÖK (letters only: digits are not indexed as words). */
export const nameOf = (i: number): string =>
  'K' + [676, 26, 1].map((d) => String.fromCharCode(97 + (Math.floor(i / d) % 26))).join('');

/** The i-th seeded ŞÖK's phone, 0532 100 00 00 + i. */
export const phoneOf = (i: number): string => {
  const n = String(1000000 + i);
  return `0532 ${n.slice(0, 3)} ${n.slice(3, 5)} ${n.slice(5)}`;
};

/**
 * A central API (SQLite) holding `count` ŞÖKs with their timeline events and receipts, registered
 * by one desk: the i-th with citizen "Vatandaş {nameOf(i)}", phone phoneOf(i), an address on
 * "{nameOf(i)}lar Sokak" and a description naming "{nameOf(i)}tepe". `cleanups` gets what to
 * close and remove, in order.
 */
export async function seededApi(
  count: number,
  cleanups: (() => Promise<void> | void)[],
  start: Parameters<typeof startTestApi>[3] = {},
  overrides: Parameters<typeof startTestApi>[2] = {},
): Promise<{ api: TestApi; root: string; soks: Sok[] }> {
  const api = await startTestApi('sqlite', 0, overrides, start);
  const root = tempDir('alo153-seeded-');
  cleanups.push(async () => {
    await api.close();
    fs.rmSync(root, { recursive: true, force: true });
  });
  const seeder = openClient(path.join(root, 'seeder'), api.url, { sync: { auto: false } });
  cleanups.push(() => seeder.close());
  await signInAs(seeder);
  const soks: Sok[] = [];
  for (let i = 0; i < count; i++) {
    soks.push(
      await call<Sok>(seeder, 'sok.create', {
        ...validDraft,
        citizenName: `Vatandaş ${nameOf(i)}`,
        citizenPhone: phoneOf(i),
        address: `${nameOf(i)}lar Sokak No: 4`,
        description: `Kayıt ${i}: ${nameOf(i)}tepe yolunda çöp alınmadı.`,
      }),
    );
  }
  await seeder.sync.syncNow();
  expect(seeder.sync.getStatus()).toMatchObject({ pending: 0, lastError: null });
  return { api, root, soks };
}

/** Closes ŞÖKs on the server as if their last change was `daysAgo` days ago (desks pull them). */
export async function closeOnServer(db: ServerDb, ids: readonly string[], daysAgo: number) {
  await withWriteLock(db, async (trx) => {
    for (const id of ids) {
      const { last } = await bumpCounter(trx, 'change');
      await trx
        .updateTable('sok')
        .set({
          status: 'closed',
          updated_at: subDays(new Date(), daysAgo).toISOString(),
          change_seq: last,
        })
        .where('id', '=', id)
        .execute();
    }
  });
}

/**
 * A desk's fetch that, while `corrupt` says so, breaks one change in the middle of each pulled
 * page (a number for the citizen's name): a page a desk must refuse.
 */
function corruptingPullFetch(corrupt: () => boolean): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (!corrupt() || !String(input).includes('/sync/pull')) return response;
    const body = (await response.json()) as { changes: { op: string; sok?: object }[] };
    const upserts = body.changes.filter((c) => c.op === 'upsert');
    const victim = upserts[Math.floor(upserts.length / 2)];
    if (victim?.sok) Object.assign(victim.sok, { citizenName: 42 });
    return new Response(JSON.stringify(body), {
      status: response.status,
      headers: { 'content-type': 'application/json' },
    });
  };
}

/**
 * A desk opened by `open` with a fetch that breaks one change of each pulled page
 * (corruptingPullFetch): its sync fails and the cursor stays at 0; mended, the next sync stores
 * all `count` ŞÖKs and moves the cursor.
 */
export async function expectMalformedPageRefused(
  open: (fetch: typeof globalThis.fetch) => ClientCore | Promise<ClientCore>,
  count: number,
): Promise<void> {
  let corrupt = true;
  const desk = await open(corruptingPullFetch(() => corrupt));
  await desk.sync.syncNow();
  expect(desk.sync.getStatus().lastError).not.toBeNull();
  const cursor = desk.db.prepare("SELECT value FROM meta WHERE key = 'sync.cursor'").pluck();
  expect(cursor.get() ?? '0').toBe('0');
  expect(desk.db.prepare('SELECT count(*) FROM sok').pluck().get()).toBeLessThan(count);

  corrupt = false;
  await desk.sync.syncNow();
  expect(desk.sync.getStatus()).toMatchObject({ state: 'online', lastError: null });
  expect(desk.db.prepare('SELECT count(*) FROM sok').pluck().get()).toBe(count);
  expect(Number(cursor.get())).toBeGreaterThan(0);
}
