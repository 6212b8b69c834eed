import type { Handlers } from '../dispatcher';
import { createLocalMutations } from '../local-mutations';
import { readReferenceData } from '../store/reference-repo';
import { adminHandlers } from './admin';
import { routingAdminHandlers } from './routing-admin';
import { authHandlers } from './auth';
import { draftHandlers } from './drafts';
import type { HandlerDeps } from './deps';
import { kvkkHandlers } from './kvkk';
import { lineHandlers } from './line';
import { mailboxHandlers } from './mailbox';
import { phoneHandlers } from './phone';
import { sokHandlers } from './sok';
import { supervisorHandlers } from './supervisor';
import { syncHandlers } from './sync';
import { workflowHandlers } from './workflow';

export type { HandlerDeps } from './deps';

/** The one handler table behind the bridge, whichever host carries it. */
export function createHandlers(deps: HandlerDeps): Handlers {
  const local = createLocalMutations(deps);
  return {
    'app.info': () => deps.info,
    'reference.get': () => readReferenceData(deps.db),
    'app.diagnostics': () => deps.diagnostics.collect(),
    'app.supportBundle': ({ sip }) => deps.diagnostics.bundle(sip),
    'app.shellState': (state) => {
      deps.shell?.onState(state);
      return null;
    },
    'app.updateAnswer': ({ answer }) => ({ handled: deps.shell?.updateAnswer(answer) ?? false }),
    ...sokHandlers(deps, local),
    ...draftHandlers(deps),
    ...authHandlers(deps),
    ...syncHandlers(deps),
    ...adminHandlers(deps),
    ...routingAdminHandlers(deps),
    ...workflowHandlers(deps, local),
    ...phoneHandlers(deps),
    ...supervisorHandlers(deps),
    ...mailboxHandlers(deps, local),
    ...kvkkHandlers(deps),
    ...lineHandlers(deps),
  };
}
