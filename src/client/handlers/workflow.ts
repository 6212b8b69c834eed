import { AppError } from '../../domain/errors';
import { t } from '../../domain/i18n/tr';
import type { Handlers } from '../dispatcher';
import type { LocalMutations } from '../local-mutations';
import type { HandlerDeps } from './deps';
import { viaApi } from './errors';
import { logShownContacts } from './access';

/**
 * The callback workflow behind the bridge: each action goes through the desk's one local
 * mutation path (src/client/local-mutations.ts): checked and applied by the same state machine
 * the server runs, and queued for the server in the same SQLite transaction (docs/sync.md). The inbox and the callback queue read the local store, so they work offline.
 */
export function workflowHandlers(deps: HandlerDeps, local: LocalMutations) {
  const { soks, sessions, workflow } = deps;

  const signedIn = () => {
    const session = sessions.load();
    if (!session) throw new AppError('unauthenticated', t('error.signedOut'));
    return session;
  };
  const act = local.act;

  return {
    'workflow.settings': () => workflow.settings(),
    'sok.inbox': (query) => {
      const { user } = signedIn();
      // ŞÖKs waiting for organisations outside the app are the call centre's to follow up
      // (docs/mailbox.md), whichever organisation they wait for: BİKOM's users only.
      if (query.state === 'external' && user.orgCode !== workflow.settings().callCentreOrg) {
        throw new AppError('forbidden', t('inbox.externalCallCentreOnly'));
      }
      return soks.inbox(user.orgCode, query);
    },
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
        waitSeconds: c.waitSeconds,
      }));
    },
    'calls.settle': async ({ id, state, note }) => {
      signedIn();
      await viaApi(() => deps.api.calls.settle({ params: { id }, body: { state, note } }));
      return null;
    },
    'callback.list': ({ shown, ...query }) => {
      const { user } = signedIn();
      // A desk sees its own organisation's queue; BİKOM supervisors may look at any.
      const mayPick = user.orgKind === 'call-centre' && user.role === 'supervisor';
      const orgCode = mayPick ? (query.ownerOrg ?? null) : user.orgCode;
      const page = soks.callbacks({
        ...query,
        orgCode,
        userId: user.id,
        now: deps.now(),
        // BİKOM's supervisors are told at level 2; an organisation's supervisor at level 1.
        minEscalation: mayPick && orgCode === null ? 2 : 1,
      });
      // KVKK: the queue shows each row's citizen name and number; the unmasked ones are a 'list'
      // view, once per ŞÖK and user in 10 minutes however often the live queue refreshes.
      if (shown) logShownContacts(deps, 'list', page.items, CALLBACK_QUEUE_DETAIL);
      return page;
    },
  } satisfies Partial<Handlers>;
}

/** The access log's detail for the callback queue's entries (no personal data). */
export const CALLBACK_QUEUE_DETAIL = 'geri arama kuyruğu';
