import { AppError } from '../../domain/errors';
import type { Action } from '../../domain/lifecycle';
import type { Sok } from '../../domain/sok';
import { mutationPayloads } from '../../domain/sync';
import { actionOf, type WorkflowKind } from '../../domain/workflow-mutations';
import type { Handlers } from '../dispatcher';
import type { HandlerDeps } from './deps';
import { viaApi } from './errors';

/**
 * The callback workflow behind the bridge: each action is checked and applied locally by the
 * same state machine the server runs, and queued for the server in the same SQLite transaction
 * (docs/sync.md). The inbox and the callback queue read the local store, so they work offline.
 */
export function workflowHandlers(deps: HandlerDeps) {
  const { db, soks, events, outbox, sessions, sync, workflow } = deps;

  const signedIn = () => {
    const session = sessions.load();
    if (!session) throw new AppError('unauthenticated', 'Bu işlem için oturum açmanız gerekiyor.');
    return session;
  };

  /** Applies one workflow action and queues it, atomically; returns the ŞÖK as it now is. */
  const act = (kind: WorkflowKind, payload: Record<string, unknown> & { sokId: string }): Sok => {
    const session = signedIn();
    const parsed = mutationPayloads[kind].parse(payload) as Record<string, unknown> & {
      sokId: string;
    };
    const now = deps.now();
    const action: Action = actionOf(kind, parsed);
    const sok = db.transaction(() => {
      const next = workflow.apply(parsed.sokId, action, now);
      outbox.enqueue(kind, parsed.sokId, parsed, session.user.id, now);
      return next;
    })();
    events.emit('sok.changed', { id: parsed.sokId });
    sync.refreshCounts();
    sync.trigger();
    return sok;
  };

  return {
    'workflow.settings': () => workflow.settings(),
    'sok.inbox': (query) => soks.inbox(signedIn().user.orgCode, query),
    'sok.accept': (input) => act('sok.accept', input),
    'sok.return': (input) => act('sok.return', input),
    'sok.decide': (input) => act('sok.decide', input),
    'sok.close': (input) => act('sok.close', input),
    'sok.reopen': (input) => act('sok.reopen', input),
    'callback.claim': (input) => act('callback.claim', input),
    'callback.release': (input) => act('callback.release', input),
    'callback.attempt': (input) =>
      act('callback.attempt', { ...input, at: input.at ?? deps.now().toISOString() }),
    'calls.missed': async () => {
      signedIn();
      const body = await viaApi(() =>
        deps.api.calls.missed({ query: { state: 'owed', limit: 500 } }),
      );
      return body.calls.map((c) => ({
        id: c.id,
        number: c.number,
        agentId: c.agentId,
        startedAt: c.startedAt,
        outcome: c.outcome,
      }));
    },
    'calls.settle': async ({ id, state, note }) => {
      signedIn();
      await viaApi(() => deps.api.calls.settle({ params: { id }, body: { state, note } }));
      return null;
    },
    'callback.list': (query) => {
      const { user } = signedIn();
      // A desk sees its own organisation's queue; BİKOM supervisors may look at any.
      const mayPick = user.orgKind === 'call-centre' && user.role === 'supervisor';
      const orgCode = mayPick ? (query.ownerOrg ?? null) : user.orgCode;
      return soks.callbacks({
        ...query,
        orgCode,
        userId: user.id,
        now: deps.now(),
        // BİKOM's supervisors are told at level 2; an organisation's supervisor at level 1.
        minEscalation: mayPick && orgCode === null ? 2 : 1,
      });
    },
  } satisfies Partial<Handlers>;
}
