import { admin } from './admin';
import { auth, setup } from './auth';
import { calls } from './calls';
import { kvkk } from './kvkk';
import { lineConsole } from './line-console';
import { mailbox } from './mailbox';
import { apiKeys, notifications } from './notifications';
import { routing } from './routing';
import { supervisor } from './supervisor';
import { sync } from './sync';
import { workflow } from './workflow';

/**
 * The central API's HTTP contract (docs/api-contract.md): every route the desk calls, declared
 * once with its method, path and zod schemas. The server registers its routes from these entries
 * and the desk calls them through them; a renamed field is a compile error on both sides.
 */
export const contract = {
  auth,
  setup,
  sync,
  admin,
  routing,
  workflow,
  supervisor,
  calls,
  mailbox,
  notifications,
  apiKeys,
  kvkk,
  lineConsole,
};
export type Contract = typeof contract;

export * from './endpoint';
