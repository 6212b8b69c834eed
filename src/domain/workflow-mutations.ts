import type { Action } from './lifecycle';
import type { MutationKind } from './sync';

/** The mutation kinds that are actions of the lifecycle state machine. */
export const WORKFLOW_KINDS = [
  'sok.accept',
  'sok.return',
  'sok.decide',
  'sok.close',
  'sok.reopen',
  'callback.claim',
  'callback.release',
  'callback.attempt',
] as const satisfies readonly MutationKind[];
export type WorkflowKind = (typeof WORKFLOW_KINDS)[number];

export function isWorkflowKind(kind: string): kind is WorkflowKind {
  return (WORKFLOW_KINDS as readonly string[]).includes(kind);
}

/**
 * The state-machine action a (validated) workflow mutation payload stands for: the same mapping
 * on the server, which decides, and on the desk, which applies it optimistically.
 */
export function actionOf(kind: WorkflowKind, payload: Record<string, unknown>): Action {
  const rest: Record<string, unknown> = { ...payload };
  delete rest.sokId;
  switch (kind) {
    case 'sok.accept':
      return { type: 'accept' };
    case 'sok.return':
      return { type: 'return', reason: String(rest.reason) };
    case 'sok.decide':
      return { type: 'decide', decision: rest as Extract<Action, { type: 'decide' }>['decision'] };
    case 'sok.close':
      return { type: 'close', note: String(rest.note) };
    case 'sok.reopen':
      return { type: 'reopen', reason: String(rest.reason) };
    case 'callback.claim':
      return { type: 'claim' };
    case 'callback.release':
      return { type: 'release' };
    case 'callback.attempt':
      return { type: 'attempt', attempt: rest as Extract<Action, { type: 'attempt' }>['attempt'] };
  }
}
