import { mutationPayloads, type MutationKind } from '../../domain/sync';
import { actionOf, isWorkflowKind } from '../../domain/workflow-mutations';
import type { SokRepo } from '../store/sok-repo';
import type { Workflow } from '../workflow';

/**
 * What a mutation does to the local store before the server has seen it. Used when the change
 * is made and again after a pull replaced the record with the server's version, so the user
 * keeps seeing their own unsent work. Workflow actions run the same state machine as the server;
 * one the server's newer state no longer allows is left for the server to refuse (and the desk
 * to be told).
 */
export function applyLocally(
  soks: SokRepo,
  kind: MutationKind,
  payload: unknown,
  at: Date,
  workflow?: Workflow,
): void {
  if (isWorkflowKind(kind)) {
    if (!workflow) return;
    const p = mutationPayloads[kind].safeParse(payload);
    if (!p.success) return;
    const data = p.data as Record<string, unknown> & { sokId: string };
    workflow.reapply(data.sokId, actionOf(kind, data), at);
    return;
  }
  switch (kind) {
    // Calls, agent states and the call in progress are local rows that pulls never replace.
    case 'sok.create':
    case 'sok.addContact':
    case 'call.log':
    case 'call.wrapUp':
    case 'agent.state':
    case 'agent.call':
      // The row was stored when the ŞÖK was registered; a contact is only a timeline entry.
      return;
    case 'sok.route': {
      const p = mutationPayloads['sok.route'].parse(payload);
      soks.route(p.sokId, p.targetOrg, p.reason, at);
      return;
    }
  }
}
