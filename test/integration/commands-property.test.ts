import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientCore } from '../../src/client/core';
import { createOutbox } from '../../src/client/sync/outbox';
import type { AuthStatus, RejectedMutation } from '../../src/domain/session';
import type { Sok } from '../../src/domain/sok';
import { BACKENDS } from '../support/backends';
import {
  call,
  openClient,
  signInAs,
  startTestApi,
  tempDir,
  validDraft,
  type TestApi,
} from '../support/stack';

/**
 * Desk and server decide every command on a ŞÖK with the same domain function
 * (src/domain/workflow). Random command sequences by people of several organisations, each on
 * their own desk (a real client core with its SQLite file) against a real central API: whatever
 * a desk applied optimistically, the server applies too and reaches the same state; whatever a
 * desk refused, the server refuses with the same message.
 */

const PEOPLE = [
  { username: 'ajan1', displayName: 'Ajan Bir', role: 'agent', orgCode: 'bikom' },
  { username: 'masa1', displayName: 'Deniz Masa', role: 'desk', orgCode: 'ilce.yildirim' },
  { username: 'sef1', displayName: 'Selin Şef', role: 'supervisor', orgCode: 'ilce.yildirim' },
  { username: 'fen1', displayName: 'Fikret Fen', role: 'desk', orgCode: 'bb.fen-isleri' },
] as const;
const TARGETS = ['ilce.yildirim', 'bb.fen-isleri', 'bikom', 'buski'] as const;

type Command =
  | { kind: 'sok.route'; target: (typeof TARGETS)[number] }
  | { kind: 'sok.accept' | 'sok.close' | 'sok.reopen' | 'sok.return' }
  | { kind: 'sok.decide'; decision: 'will-do' | 'wont-do' | 'already-done' | 'not-ours' }
  | { kind: 'callback.claim' | 'callback.release' }
  | { kind: 'callback.attempt'; outcome: 'reached' | 'no-answer' | 'wrong-number' }
  | { kind: 'sok.addContact' };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('sok.route' as const), target: fc.constantFrom(...TARGETS) }),
  fc.record({
    kind: fc.constantFrom('sok.accept', 'sok.close', 'sok.reopen', 'sok.return') as fc.Arbitrary<
      'sok.accept' | 'sok.close' | 'sok.reopen' | 'sok.return'
    >,
  }),
  fc.record({
    kind: fc.constant('sok.decide' as const),
    decision: fc.constantFrom('will-do', 'wont-do', 'already-done', 'not-ours') as fc.Arbitrary<
      'will-do' | 'wont-do' | 'already-done' | 'not-ours'
    >,
  }),
  fc.record({
    kind: fc.constantFrom('callback.claim', 'callback.release') as fc.Arbitrary<
      'callback.claim' | 'callback.release'
    >,
  }),
  fc.record({
    kind: fc.constant('callback.attempt' as const),
    outcome: fc.constantFrom('reached', 'no-answer', 'wrong-number') as fc.Arbitrary<
      'reached' | 'no-answer' | 'wrong-number'
    >,
  }),
  fc.record({ kind: fc.constant('sok.addContact' as const) }),
);

function inputOf(command: Command, sokId: string): Record<string, unknown> {
  const reason = 'Rastgele sınama gerekçesi';
  switch (command.kind) {
    case 'sok.route':
      return { sokId, targetOrg: command.target, reason };
    case 'sok.return':
    case 'sok.reopen':
      return { sokId, reason };
    case 'sok.close':
      return { sokId, note: 'İş tamamlandı.' };
    case 'sok.decide': {
      const tomorrow = new Date(Date.now() + 2 * 24 * 3600 * 1000).toISOString().slice(0, 10);
      switch (command.decision) {
        case 'will-do':
          return { sokId, kind: 'will-do', plannedDate: tomorrow, explanation: '' };
        case 'wont-do':
          return {
            sokId,
            kind: 'wont-do',
            reasonCategory: 'budget',
            explanation: 'Bu yıl için ödenek ayrılmadı, gelecek yıl programa alınacak.',
          };
        case 'already-done':
          return { sokId, kind: 'already-done', explanation: '' };
        case 'not-ours':
          return {
            sokId,
            kind: 'not-ours',
            referralBody: 'TEDAŞ',
            explanation: 'Elektrik hattı dağıtım şirketinin.',
          };
      }
      break;
    }
    case 'callback.attempt':
      return {
        sokId,
        outcome: command.outcome,
        at: new Date().toISOString(),
        note: command.outcome === 'reached' ? 'Karar vatandaşa okundu.' : '',
      };
    case 'sok.addContact':
      return { sokId, citizenName: 'Mehmet Komşu', citizenPhone: '0533 111 22 33', note: '' };
    default:
      return { sokId };
  }
}

/**
 * The workflow fields of a ŞÖK. Times are stamped by each side's own clock (the desk's when it
 * applies, the server's when it confirms), so for them only whether they are set is compared.
 */
function workflowOf(sok: Sok) {
  const stamp = (v: string | null) => (v === null ? null : 'set');
  return {
    status: sok.status,
    targetOrg: sok.targetOrg,
    routeRuleId: sok.routeRuleId,
    routeReason: sok.routeReason,
    acceptedBy: sok.acceptedBy,
    acceptedAt: stamp(sok.acceptedAt),
    decision: sok.decision && { ...sok.decision, decidedAt: stamp(sok.decision.decidedAt) },
    callback: sok.callback && {
      ...sok.callback,
      createdAt: stamp(sok.callback.createdAt),
      dueAt: stamp(sok.callback.dueAt),
      closedAt: stamp(sok.callback.closedAt),
      claimUntil: stamp(sok.callback.claimUntil),
    },
  };
}

describe.each(BACKENDS)('desk and server apply the same commands (%s)', (kind) => {
  let api: TestApi;
  let root: string;
  const desks: ClientCore[] = [];

  beforeAll(async () => {
    api = await startTestApi(kind);
    root = tempDir();
    for (const person of PEOPLE) {
      const desk = openClient(path.join(root, person.username), api.url, {
        sync: { auto: false, backoffMinMs: 50, backoffMaxMs: 500, pollIntervalMs: 60_000 },
      });
      desks.push(desk);
      await signInAs(desk, { ...person, password: `${person.username}-parola-2026` });
    }
  }, 60_000);

  afterAll(async () => {
    while (desks.length) await desks.pop()?.close();
    await api.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('reaches the same state on the desk and on the server for random command sequences', async () => {
    const [agent] = desks as [ClientCore];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ by: fc.nat(PEOPLE.length - 1), command: commandArb }), {
          minLength: 1,
          maxLength: 10,
        }),
        async (steps) => {
          const created = await call<Sok>(agent, 'sok.create', validDraft);
          await agent.sync.syncNow();
          for (const { by, command } of steps) {
            const desk = desks[by] as ClientCore;
            // The desk acts on the server's latest state (a stale desk is sync.md's business).
            await desk.sync.syncNow();
            const result = await desk.dispatch(command.kind, inputOf(command, created.id));
            if (!result.ok) {
              // Refused on the desk, so nothing was queued. Had it been sent anyway (a desk on
              // older code), the server refuses it too, for the same reason.
              const { user } = await call<AuthStatus>(desk, 'auth.status');
              createOutbox(desk.db).enqueue(
                command.kind,
                created.id,
                inputOf(command, created.id),
                user?.id ?? '',
                new Date(),
              );
              await desk.sync.syncNow();
              const rejected = await call<RejectedMutation[]>(desk, 'sync.rejected');
              expect(rejected.map((r) => r.message)).toEqual([result.error.message]);
              for (const r of rejected) {
                await call(desk, 'sync.resolve', { mutationId: r.mutationId, action: 'discard' });
              }
              continue;
            }
            await desk.sync.syncNow();
            // Whatever the desk applied, the server applied too: nothing was refused…
            expect(await call<RejectedMutation[]>(desk, 'sync.rejected')).toEqual([]);
            if (command.kind === 'sok.addContact') continue;
            // …and it reached the same state. The agent's organisation registered the ŞÖK, so
            // it always sees it; it reads the server's version by pulling.
            await agent.sync.syncNow();
            const server = await call<Sok>(agent, 'sok.get', { id: created.id });
            expect(workflowOf(server)).toEqual(workflowOf(result.value as Sok));
          }
        },
      ),
      { numRuns: 20, endOnFailure: true },
    );
  }, 240_000);
});
