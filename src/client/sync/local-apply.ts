import { mutationPayloads, type MutationKind } from '../../domain/sync';
import type { SokRepo } from '../store/sok-repo';

/**
 * What a mutation does to the local store before the server has seen it. Used when the change
 * is made and again after a pull replaced the record with the server's version, so the user
 * keeps seeing their own unsent work.
 */
export function applyLocally(soks: SokRepo, kind: MutationKind, payload: unknown, at: Date): void {
  switch (kind) {
    // Calls and agent states are local rows that pulls never replace.
    case 'sok.create':
    case 'sok.addContact':
    case 'call.log':
    case 'call.wrapUp':
    case 'agent.state':
      // The row was stored when the ŞÖK was registered; a contact is only a timeline entry.
      return;
    case 'sok.route': {
      const p = mutationPayloads['sok.route'].parse(payload);
      soks.route(p.sokId, p.targetOrg, p.reason, at);
      return;
    }
  }
}
