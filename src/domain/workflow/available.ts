import type { Action } from './inputs';
import type { Actor, WorkflowState } from './state';
import type { Refusal } from './refusal';
import { guard, type GuardContext } from './transitions';

/** The actions a person may offer on a ŞÖK's screen (the system's own are not among them). */
export const USER_ACTIONS = [
  'route',
  'accept',
  'return',
  'decide',
  'claim',
  'release',
  'assign',
  'escalate-now',
  'attempt',
  'close',
  'reopen',
] as const satisfies readonly Action['type'][];
export type UserAction = (typeof USER_ACTIONS)[number];

/**
 * Which actions `actor` may take on this ŞÖK now: the guards of the state machine itself, so
 * a button is shown exactly when the desk and the server would accept the action (input
 * permitting). `callCentreOrg` is BİKOM's code from the workflow settings.
 */
export function availableActions(
  sok: WorkflowState,
  actor: Pick<Actor, 'userId' | 'orgCode' | 'orgKind' | 'role'>,
  ctx: Omit<GuardContext, 'actor'>,
): ReadonlySet<UserAction> {
  const full: Actor = { displayName: '', ...actor };
  return new Set(USER_ACTIONS.filter((type) => guard(sok, type, { ...ctx, actor: full }) === null));
}

/**
 * Why `actor` may not take this action now (the guard's refusal), or null when they may: the
 * screen uses the code to tell "not yours" (forbidden) from "not now" (conflict).
 */
export function whyNot(
  sok: WorkflowState,
  actor: Pick<Actor, 'userId' | 'orgCode' | 'orgKind' | 'role'>,
  type: UserAction,
  ctx: Omit<GuardContext, 'actor'>,
): Refusal | null {
  return guard(sok, type, { ...ctx, actor: { displayName: '', ...actor } });
}
