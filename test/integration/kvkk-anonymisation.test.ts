import { addYears } from 'date-fns';
import { beforeEach, describe, expect, it } from 'vitest';
import { forEachBackend } from '../support/backends';
import type { CallerContext } from '../../src/domain/bridge/contract';
import type { Sok, SokSearchResult } from '../../src/domain/sok';
import type { ClientCore } from '../../src/client/core';
import { bumpCounter, withWriteLock } from '../../src/server/db/write-lock';
import { runRetention } from '../../src/server/kvkk/retention';
import { FaultyNetwork } from '../support/faulty-fetch';
import { call, eventually, signInAs, useTestStack, validDraft } from '../support/stack';

/** The central API on each backend (PostgreSQL and SQLite), one fresh stack per test. */
let stack: ReturnType<typeof useTestStack>;

/** What a desk PC holds of a ŞÖK's citizen: its local row. */
function localRow(core: ClientCore, id: string) {
  return core.db
    .prepare(
      'SELECT citizen_name, citizen_phone, citizen_email, address, latitude, longitude, description FROM sok WHERE id = ?',
    )
    .get(id) as Record<string, unknown>;
}

/** Searching the citizen's name, surname and number on the desk (its full-text index). */
async function findsCitizen(core: ClientCore): Promise<string[][]> {
  const queries = ['Ayşe Işık', 'Işık', 'Ayşe', '0532 123 45 67'];
  const found: string[][] = [];
  for (const query of queries) {
    found.push((await call<SokSearchResult>(core, 'sok.search', { query })).items.map((s) => s.id));
  }
  const context = await call<CallerContext>(core, 'sok.callerContext', { phone: '0532 123 45 67' });
  found.push(context.soks.map((s) => s.id));
  return found;
}

/** Closes a ŞÖK on the server today (the desk's own 30-day drop does not apply yet). */
async function closeOnServer(id: string) {
  await withWriteLock(stack.api.server.db, async (trx) => {
    const { last } = await bumpCounter(trx, 'change');
    await trx
      .updateTable('sok')
      .set({ status: 'closed', updated_at: new Date().toISOString(), change_seq: last })
      .where('id', '=', id)
      .execute();
  });
}

/**
 * Issue #19 "Done when": an anonymisation run leaves no personal data of the affected ŞÖKs on a
 * synced desk, and a desk that was offline during the run loses it once it syncs. Real desk
 * cores (SQLite store, full-text index) against a real API.
 */
forEachBackend('KVKK desks', (kind) => {
  const own = useTestStack({}, kind);
  beforeEach(() => {
    stack = own;
  });

  describe('KVKK: the destruction run reaches every desk', () => {
    it('leaves no contact data on a synced desk nor, once it syncs, on one that was offline', async () => {
      const online = stack.open('desk-online');
      await signInAs(online);
      const sok = await call<Sok>(online, 'sok.create', {
        ...validDraft,
        citizenEmail: 'ayse.isik@example.org',
        description: 'Ayşe Işık aradı (0532 123 45 67): çöp konteyneri üç gündür boşaltılmadı.',
      });
      await online.sync.syncNow();

      const net = new FaultyNetwork();
      const offline = stack.open('desk-offline', { fetch: net.fetch });
      await signInAs(offline, {
        username: 'ajan2',
        displayName: 'Ajan İki',
        password: 'ajan2-parola-2026',
        role: 'agent',
        orgCode: 'bikom',
      });
      await offline.sync.syncNow();

      await closeOnServer(sok.id);
      for (const core of [online, offline]) {
        await core.sync.syncNow();
        // Before the run both desks hold the citizen and find her by name.
        expect(localRow(core, sok.id)).toMatchObject({ citizen_name: 'Ayşe Işık' });
        expect(await findsCitizen(core)).toEqual([
          [sok.id],
          [sok.id],
          [sok.id],
          [sok.id],
          [sok.id],
        ]);
      }

      net.down = true;
      // The run falls two years after the ŞÖK was closed (the default schedule).
      const run = await runRetention(stack.api.server.db, () => addYears(new Date(), 2.1));
      expect(run.sokCount).toBe(1);

      const gone = (core: ClientCore) => {
        const row = localRow(core, sok.id);
        expect(row).toMatchObject({
          citizen_name: '',
          citizen_phone: '',
          citizen_email: '',
          address: '',
          latitude: null,
          longitude: null,
        });
        const description = String(row.description);
        expect(description).toContain('çöp konteyneri');
        expect(description).not.toMatch(/Ayşe|Işık|0532|123 45 67/);
      };

      await online.sync.syncNow();
      gone(online);
      await eventually(async () =>
        expect(await findsCitizen(online)).toEqual([[], [], [], [], []]),
      );

      // The offline desk still has them while it cannot reach the server …
      await offline.sync.syncNow();
      expect(offline.sync.getStatus().state).toBe('offline');
      expect(localRow(offline, sok.id)).toMatchObject({ citizen_name: 'Ayşe Işık' });

      // … and loses them at its first sync.
      net.down = false;
      await eventually(async () => {
        await offline.sync.syncNow();
        expect(offline.sync.getStatus().state).toBe('online');
      });
      gone(offline);
      await eventually(async () =>
        expect(await findsCitizen(offline)).toEqual([[], [], [], [], []]),
      );
    });
  });
});
