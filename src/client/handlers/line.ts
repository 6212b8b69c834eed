import type { Handlers } from '../dispatcher';
import type { HandlerDeps } from './deps';
import { viaApi } from './errors';

/**
 * The call line as the agent's desk sees it (issue #20 item 6): how many callers wait in the
 * line their organisation answers. Straight from the central API, which holds the line; offline
 * the header simply shows no count.
 */
export function lineHandlers({ api }: HandlerDeps) {
  return {
    'line.waiting': () => viaApi(() => api.lineConsole.waiting()),
  } satisfies Partial<Handlers>;
}
