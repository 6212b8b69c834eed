import { mutationPayloads, type MutationKind } from '../../domain/sync';
import { actionOf, isWorkflowKind } from '../../domain/workflow';
import type { SokWire } from '../../domain/sync';
import type { SokRepo } from '../store/sok-repo';
import type { Workflow } from '../workflow';
import type { Outbox } from './outbox';

/**
 * Re-applies a queued mutation after a pull (or a refusal) replaced the record with the
 * server's version, so the user keeps seeing their own unsent work. It is the same command the
 * desk ran when the change was made (src/client/local-mutations.ts), by the same state machine
 * as the server's; one the server's newer state no longer allows is left for the server to
 * refuse (and the desk to be told). A pending create means the server already has the ŞÖK (its
 * answer was lost): its version wins. A contact is only a timeline entry, and calls and agent
 * states are local rows that pulls never replace.
 */
export function applyLocally(
  kind: MutationKind,
  payload: unknown,
  at: Date,
  workflow?: Workflow,
): void {
  if (!workflow || !isWorkflowKind(kind)) return;
  const p = mutationPayloads[kind].safeParse(payload);
  if (!p.success) return;
  const data = p.data as Record<string, unknown> & { sokId: string };
  workflow.reapply(data.sokId, actionOf(kind, data), at);
}

/**
 * The server's version replaces the local one, then local changes the server has not seen yet
 * are applied on top again (a pending create means the server already has it: its answer was
 * lost, and its version wins). Used by the pull and by a refused push alike.
 */
export function replaceWithServerSok(
  deps: { soks: SokRepo; outbox: Outbox; workflow?: Workflow | undefined },
  sok: SokWire,
  options: { deferIndex?: boolean; local?: boolean; droppedAt?: Date } = {},
): void {
  deps.soks.upsertFromServer(sok, {
    deferIndex: options.deferIndex ?? false,
    ...(options.droppedAt ? { droppedAt: options.droppedAt } : {}),
  });
  if (options.local === false) return;
  for (const m of deps.outbox.pendingForEntity(sok.id)) {
    applyLocally(m.kind, m.payload, new Date(m.createdAt), deps.workflow);
  }
}
