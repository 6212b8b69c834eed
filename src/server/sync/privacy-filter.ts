import type { Kysely } from 'kysely';
import { maskEmail, maskName, maskPhone, seesFullContact } from '../../domain/privacy';
import type { Change } from '../../domain/sync';
import type { Database } from '../db/schema';

/**
 * KVKK on the rest of the feed: a "same problem" contact event carries another caller's name and
 * number, and a receipt the citizen's number or address. A reader whose organisation may see the
 * ŞÖK but not its contact details (see sokToWire) gets those masked too. One query per page, and
 * only when the page holds such changes.
 */
export async function maskPersonalData(
  db: Kysely<Database>,
  viewerOrg: string,
  changes: Change[],
): Promise<Change[]> {
  const ids = new Set<string>();
  for (const c of changes) {
    if (c.op === 'event' && c.event.kind === 'contact') ids.add(c.event.sokId);
    if (c.op === 'receipt' && !['handoff', 'escalation'].includes(c.receipt.purpose)) {
      ids.add(c.receipt.sokId);
    }
  }
  if (ids.size === 0) return changes;
  const rows = await db
    .selectFrom('sok')
    .select(['id', 'origin_org', 'target_org', 'callback_owner_org'])
    .where('id', 'in', [...ids])
    .execute();
  const masked = new Set(
    rows
      .filter(
        (r) =>
          !seesFullContact(viewerOrg, {
            originOrg: r.origin_org,
            targetOrg: r.target_org,
            callbackOwnerOrg: r.callback_owner_org ?? null,
          }),
      )
      .map((r) => r.id),
  );
  if (masked.size === 0) return changes;
  return changes.map((c) => {
    if (c.op === 'event' && c.event.kind === 'contact' && masked.has(c.event.sokId)) {
      const data = c.event.data ?? {};
      const name = typeof data.citizenName === 'string' ? data.citizenName : '';
      const phone = typeof data.citizenPhone === 'string' ? data.citizenPhone : '';
      const note =
        name && c.event.note.startsWith(name)
          ? `${maskName(name)}${c.event.note.slice(name.length)}`
          : c.event.note;
      return {
        ...c,
        event: {
          ...c.event,
          note,
          data: { ...data, citizenName: maskName(name), citizenPhone: maskPhone(phone) },
        },
      };
    }
    if (c.op === 'receipt' && masked.has(c.receipt.sokId)) {
      const r = c.receipt;
      return {
        ...c,
        receipt: {
          ...r,
          recipient: r.channel === 'sms' ? maskPhone(r.recipient) : maskEmail(r.recipient),
        },
      };
    }
    return c;
  });
}
