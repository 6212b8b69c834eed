import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClientCore } from '../../src/client/core';
import type { Sok } from '../../src/domain/sok';
import { startServer } from '../../src/server/start';
import { BACKENDS } from '../support/backends';
import { FaultyNetwork, type Fault } from '../support/faulty-fetch';
import { ADMIN, call, openClient, startTestApi, tempDir, validDraft } from '../support/stack';

/**
 * Model-based fault test of the sync protocol. Several desks register ŞÖKs and sync through a
 * network that drops requests, loses answers after the server committed, duplicates and
 * reorders requests; desks are killed between the local commit and the push; the server
 * restarts. Afterwards, with the network healed: no ŞÖK is lost, none is applied twice, every
 * number read to a citizen is the final one, and every desk holds exactly the server's ŞÖKs.
 */
const CLIENTS = 3;

type Action =
  | { kind: 'create'; client: number; text: number }
  | { kind: 'sync'; client: number }
  | { kind: 'fault'; client: number; faults: Fault[] }
  | { kind: 'network'; client: number; down: boolean }
  | { kind: 'kill-client'; client: number }
  | { kind: 'restart-server' }
  | { kind: 'deliver-delayed'; client: number };

const client = fc.integer({ min: 0, max: CLIENTS - 1 });
const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('create' as const), client, text: fc.nat(999) }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('sync' as const), client }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('fault' as const),
      client,
      faults: fc.array(
        fc.constantFrom<Fault>('drop-request', 'drop-response', 'duplicate', 'delay'),
        {
          minLength: 1,
          maxLength: 4,
        },
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('network' as const), client, down: fc.boolean() }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('kill-client' as const), client }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart-server' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deliver-delayed' as const), client }) },
);

describe.each(BACKENDS.map((kind) => ({ kind })))('sync under faults [$kind]', ({ kind }) => {
  it('loses nothing, applies nothing twice, and every desk converges', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 5, maxLength: 30 }), async (actions) => {
        const api = await startTestApi(kind);
        const port = Number(new URL(api.url).port);
        let server = api.server;
        const root = tempDir('alo153-faults-');
        const networks = Array.from({ length: CLIENTS }, () => new FaultyNetwork());
        const dirs = networks.map((_, i) => path.join(root, `desk${i}`));
        const open = (i: number) =>
          openClient(dirs[i] as string, api.url, {
            fetch: (networks[i] as FaultyNetwork).fetch,
            sync: { auto: false, backoffMinMs: 1, backoffMaxMs: 1 },
          });
        const cores: ClientCore[] = [];
        /** What each desk showed the agent at registration: id → number read to the citizen. */
        const promised = new Map<string, string | null>();
        try {
          // Set-up runs on a healthy network: an admin and one agent per desk.
          for (let i = 0; i < CLIENTS; i++) {
            const core = open(i);
            cores.push(core);
            const status = await call<{ needsSetup: boolean }>(core, 'auth.status');
            if (status.needsSetup) await call(core, 'auth.setup', ADMIN);
            else
              await call(core, 'auth.login', {
                username: ADMIN.username,
                password: ADMIN.password,
              });
            const agent = {
              username: `ajan${i}`,
              displayName: `Ajan ${i}`,
              password: `ajan-parola-${i}-2026`,
              role: 'agent',
              orgCode: 'bikom',
            };
            await call(core, 'admin.users.create', agent);
            await call(core, 'auth.logout', { force: true });
            await call(core, 'auth.login', { username: agent.username, password: agent.password });
            await core.sync.syncNow();
          }

          for (const a of actions) {
            if (a.kind === 'restart-server') {
              await server.close();
              server = await startServer({ ...api.server.config, port }, { logger: false });
              continue;
            }
            const i = a.client;
            const net = networks[i] as FaultyNetwork;
            switch (a.kind) {
              case 'create': {
                const sok = await call<Sok>(cores[i] as ClientCore, 'sok.create', {
                  ...validDraft,
                  description: `Masa ${i} kayıt ${a.text}: çöp alınmadı.`,
                });
                promised.set(sok.id, sok.regNo);
                break;
              }
              case 'sync':
                await (cores[i] as ClientCore).sync.syncNow();
                break;
              case 'fault':
                net.plan(...a.faults);
                break;
              case 'network':
                net.down = a.down;
                break;
              case 'kill-client':
                // Killed after the local commit: whatever was not pushed sits in the outbox.
                await (cores[i] as ClientCore).close();
                cores[i] = open(i);
                break;
              case 'deliver-delayed':
                await net.deliverDelayed();
                break;
            }
          }

          // Heal: network up, no more faults, late requests arrive, everyone syncs twice.
          for (const net of networks) {
            net.down = false;
            net.clearPlan();
            await net.deliverDelayed();
          }
          for (let round = 0; round < 2; round++) {
            for (const core of cores) await core.sync.syncNow();
          }

          const rows = await server.db
            .selectFrom('sok')
            .select(['id', 'reg_no', 'description'])
            .execute();
          // Nothing lost, nothing twice.
          expect(rows.map((r) => r.id).sort()).toEqual([...promised.keys()].sort());
          expect(new Set(rows.map((r) => r.reg_no)).size).toBe(rows.length);
          // The number an agent read out is the number the server keeps.
          for (const row of rows) {
            const shown = promised.get(row.id);
            if (shown !== null) expect(row.reg_no).toBe(shown);
          }
          // Every desk converges to the server's state and has nothing left to send.
          const serverView = rows.map((r) => `${r.id}|${r.reg_no}|${r.description}`).sort();
          for (const core of cores) {
            const local = (
              core.db.prepare('SELECT id, reg_no, description FROM sok').all() as {
                id: string;
                reg_no: string;
                description: string;
              }[]
            )
              .map((r) => `${r.id}|${r.reg_no}|${r.description}`)
              .sort();
            expect(local).toEqual(serverView);
            expect(core.db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0);
          }
        } finally {
          for (const core of cores) await core.close().catch(() => undefined);
          if (server !== api.server) await server.close();
          await api.close();
          fs.rmSync(root, { recursive: true, force: true });
        }
      }),
      { numRuns: Number(process.env.ALO153_FAULT_RUNS ?? 15), endOnFailure: true },
    );
  }, 600_000);
});
