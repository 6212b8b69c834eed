import type { MutationKind } from '../sync';
import type { Action } from './inputs';

/**
 * The mutation kinds that are actions of the workflow state machine (`transition`): a desk
 * applies them optimistically and the server authoritatively, with the same function.
 * `sok.create` and `sok.addContact` are the commands of ./registration.
 */
export const WORKFLOW_KINDS = [
  'sok.route',
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

/** Every mutation kind that is a command on a ŞÖK (the others are calls and agent states). */
export const SOK_COMMAND_KINDS = [
  'sok.create',
  'sok.addContact',
  ...WORKFLOW_KINDS,
] as const satisfies readonly MutationKind[];
export type SokCommandKind = (typeof SOK_COMMAND_KINDS)[number];

export function isWorkflowKind(kind: string): kind is WorkflowKind {
  return (WORKFLOW_KINDS as readonly string[]).includes(kind);
}

export function isSokCommandKind(kind: string): kind is SokCommandKind {
  return (SOK_COMMAND_KINDS as readonly string[]).includes(kind);
}

/**
 * The state-machine action a (validated) workflow mutation payload stands for: the same mapping
 * on the server, which decides, and on the desk, which applies it optimistically.
 */
export function actionOf(kind: WorkflowKind, payload: Record<string, unknown>): Action {
  const rest: Record<string, unknown> = { ...payload };
  delete rest.sokId;
  switch (kind) {
    case 'sok.route':
      return { type: 'route', targetOrg: String(rest.targetOrg), reason: String(rest.reason) };
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
