import type { AccessKind } from '../../domain/kvkk';
import type { Sok } from '../../domain/sok';
import type { HandlerDeps } from './deps';

/**
 * KVKK access log (docs/kvkk.md): the ŞÖKs among `shown` whose contact details the signed-in user
 * sees unmasked get one entry each, through the desk's one access log (src/client/sync/access-log.ts,
 * which applies the 10-minute rule and stores them for the next sync). Masked rows, and ŞÖKs whose
 * contact data is not on this PC, are no view and are not logged.
 */
export function logShownContacts(
  deps: Pick<HandlerDeps, 'sessions' | 'accessLog' | 'now'>,
  kind: AccessKind,
  shown: readonly Sok[],
  detail = '',
): void {
  const user = deps.sessions.load()?.user;
  if (!user) return;
  const ids: string[] = [];
  for (const sok of shown) if (showsContact(sok)) ids.push(sok.id);
  if (ids.length > 0) deps.accessLog.record(user.id, kind, ids, deps.now(), detail);
}

/** Whether a ŞÖK as shown carries a citizen's contact details in full. */
export function showsContact(sok: Sok): boolean {
  if (sok.contactMasked) return false;
  return sok.citizenName !== '' || sok.citizenPhone !== '' || sok.citizenEmail !== '';
}
