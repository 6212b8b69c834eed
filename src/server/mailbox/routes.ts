import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { contract } from '../../domain/api';
import { formatRegNo, parseRegNo } from '../../domain/regno';
import { authOf, requireRole } from '../auth/context';
import type { AppDeps } from '../app-deps';
import type { Transaction, Updateable } from 'kysely';
import type { Database, MailItemTable } from '../db/schema';
import { nextChangeSeq, withWriteLock } from '../db/write-lock';
import { contractRoute } from '../http/contract-route';
import { badRequest, conflict, notFound } from '../http/errors';
import { sendFile } from '../http/send-file';
import { canSee, visibilityRule } from '../scope';

/**
 * The "E-posta" intake queue over HTTP (docs/mailbox.md). Scope: BİKOM's agents, supervisors and
 * admins see every organisation's mail (as they see every ŞÖK); anyone else their own
 * organisation's. An attachment is served to whoever may see its mail or the ŞÖK it became.
 */
export { SET_ASIDE_REASONS } from '../../domain/api/mailbox';

type ItemRow = Omit<MailItemTable, 'raw' | 'no_reply'> & { no_reply: number };

export function mailItemWire(
  row: ItemRow,
  attachments: {
    id: string;
    filename: string;
    detected_type: string | null;
    size: number;
    refused: string | null;
  }[],
) {
  return {
    id: row.id,
    mailbox: row.mailbox,
    orgCode: row.org_code,
    kind: row.kind,
    state: row.state,
    from: { address: row.from_address, name: row.from_name, orgCode: row.from_org_code },
    subject: row.subject,
    sentAt: row.sent_at,
    receivedAt: row.received_at,
    text: row.body_text,
    messageId: row.message_id,
    inReplyTo: row.in_reply_to,
    references: JSON.parse(row.refs) as string[],
    noReply: row.no_reply === 1,
    mentionedRegNo: row.mentioned_reg_no,
    mentionedSokId: row.mentioned_sok_id,
    quarantineReason: row.quarantine_reason,
    setAsideReason: row.set_aside_reason,
    setAsideNote: row.set_aside_note,
    sokId: row.sok_id,
    handledBy: row.handled_by,
    handledAt: row.handled_at,
    attachments: attachments.map((a) => ({
      id: a.id,
      filename: a.filename,
      type: a.detected_type,
      size: a.size,
      refused: a.refused,
    })),
  };
}

const ITEM_COLUMNS = [
  'id',
  'mailbox',
  'org_code',
  'uid_validity',
  'uid',
  'message_id',
  'kind',
  'state',
  'from_address',
  'from_name',
  'subject',
  'sent_at',
  'received_at',
  'body_text',
  'in_reply_to',
  'refs',
  'no_reply',
  'from_org_code',
  'mentioned_reg_no',
  'mentioned_sok_id',
  'quarantine_reason',
  'set_aside_reason',
  'set_aside_note',
  'bounced_notification_id',
  'sok_id',
  'handled_by',
  'handled_at',
  'raw_size',
  'change_seq',
] as const;

/**
 * Handles one mail of the queue, the same way for set aside, link and register: under the write
 * lock its state is read again and the change refused (409, "Bu e-posta zaten işlenmiş.") unless
 * it is still `new`; then `before` writes what goes with it (a timeline event) and the mail gets
 * `set` with a fresh change sequence, which is returned for the change feed. `repeated` accepts
 * a harmless repetition instead (nothing written, null returned).
 */
async function handleNewMail(
  db: AppDeps['db'],
  itemId: string,
  change: {
    set: Omit<Updateable<MailItemTable>, 'change_seq'>;
    before?: (trx: Transaction<Database>) => Promise<void>;
    repeated?: (current: { state: MailItemTable['state']; sok_id: string | null }) => boolean;
  },
): Promise<number | null> {
  return withWriteLock(db, async (trx) => {
    const current = await trx
      .selectFrom('mail_item')
      .select(['state', 'sok_id'])
      .where('id', '=', itemId)
      .executeTakeFirstOrThrow();
    if (change.repeated?.(current) === true) return null;
    if (current.state !== 'new') {
      throw conflict('conflict', `the mail is already ${current.state}`, {
        userMessage: 'Bu e-posta zaten işlenmiş.',
      });
    }
    await change.before?.(trx);
    const changeSeq = await nextChangeSeq(trx);
    await trx
      .updateTable('mail_item')
      .set({ ...change.set, change_seq: changeSeq })
      .where('id', '=', itemId)
      .execute();
    return changeSeq;
  });
}

export function registerMailboxRoutes(
  app: FastifyInstance,
  deps: Pick<AppDeps, 'db' | 'clock' | 'notifier'>,
): void {
  const { db } = deps;
  const staff = { onRequest: requireRole('agent', 'desk', 'supervisor', 'admin') };
  const orgOf = (request: FastifyRequest) => {
    const rule = visibilityRule(authOf(request).user);
    return rule.kind === 'all' ? null : rule.orgCode;
  };

  const attachmentsOf = async (ids: string[]) => {
    if (ids.length === 0) return new Map<string, never[]>();
    const rows = await db
      .selectFrom('mail_attachment')
      .select(['id', 'item_id', 'filename', 'detected_type', 'size', 'refused'])
      .where('item_id', 'in', ids)
      .orderBy('item_id')
      .orderBy('position')
      .execute();
    const byItem = new Map<string, typeof rows>();
    for (const row of rows) byItem.set(row.item_id, [...(byItem.get(row.item_id) ?? []), row]);
    return byItem;
  };

  const loadItem = async (request: FastifyRequest, id: string) => {
    const org = orgOf(request);
    const row = await db
      .selectFrom('mail_item')
      .select(ITEM_COLUMNS)
      .where('id', '=', id)
      .$if(org !== null, (q) => q.where('org_code', '=', org!))
      .executeTakeFirst();
    if (row === undefined) throw notFound('no such mail in your intake queue');
    return row;
  };

  contractRoute(app, contract.mailbox.items, staff, async (request) => {
    const { state, kind, q, limit } = request.query;
    const org = orgOf(request);
    const like =
      q === undefined ? null : `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = await db
      .selectFrom('mail_item')
      .select(ITEM_COLUMNS)
      .$if(org !== null, (qb) => qb.where('org_code', '=', org!))
      .$if(state !== 'all', (qb) => qb.where('state', '=', state as MailItemTable['state']))
      .$if(kind !== undefined, (qb) => qb.where('kind', '=', kind!))
      .$if(like !== null, (qb) =>
        qb.where((eb) =>
          eb.or([
            eb(eb.fn('lower', ['from_address']), 'like', like!),
            eb(eb.fn('lower', ['subject']), 'like', like!),
            eb(eb.fn('lower', ['body_text']), 'like', like!),
          ]),
        ),
      )
      // The queue is worked oldest first; handled mail is looked up newest first.
      .orderBy('received_at', state === 'new' ? 'asc' : 'desc')
      .limit(limit)
      .execute();
    const attachments = await attachmentsOf(rows.map((row) => row.id));
    return { items: rows.map((row) => mailItemWire(row, attachments.get(row.id) ?? [])) };
  });

  /** The queue's figures: how much waits, and since when (the oldest unhandled e-mail). */
  contractRoute(app, contract.mailbox.figures, staff, async (request) => {
    const org = orgOf(request);
    const rows = await db
      .selectFrom('mail_item')
      .select(['org_code', 'state', 'kind'])
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('received_at').as('oldest')])
      .$if(org !== null, (qb) => qb.where('org_code', '=', org!))
      .groupBy(['org_code', 'state', 'kind'])
      .execute();
    const waiting = rows.filter((row) => row.state === 'new');
    const oldest = waiting
      .map((row) => row.oldest)
      .filter((v): v is string => typeof v === 'string')
      .sort()[0];
    return {
      unhandled: waiting.reduce((sum, row) => sum + Number(row.n), 0),
      oldestUnhandledAt: oldest ?? null,
      counts: rows.map((row) => ({
        orgCode: row.org_code,
        state: row.state,
        kind: row.kind,
        n: Number(row.n),
      })),
    };
  });

  contractRoute(app, contract.mailbox.item, staff, async (request) => {
    const row = await loadItem(request, request.params.id);
    const attachments = await attachmentsOf([row.id]);
    return { item: mailItemWire(row, attachments.get(row.id) ?? []) };
  });

  contractRoute(app, contract.mailbox.attachment, staff, async (request, reply) => {
    const { user } = authOf(request);
    const row = await db
      .selectFrom('mail_attachment as a')
      .innerJoin('mail_item as i', 'i.id', 'a.item_id')
      .leftJoin('sok as s', 's.id', 'i.sok_id')
      .select(['a.filename', 'a.detected_type', 'a.content', 'a.refused', 'i.org_code'])
      .select(['s.origin_org', 's.target_org'])
      .where('a.id', '=', request.params.id)
      .executeTakeFirst();
    const org = orgOf(request);
    const mayRead =
      row !== undefined &&
      (org === null ||
        row.org_code === org ||
        (row.origin_org !== null &&
          canSee(user, { origin_org: row.origin_org, target_org: row.target_org })));
    if (!mayRead || row.content === null || row.refused !== null) {
      throw notFound('no such attachment you may read');
    }
    return sendFile(
      reply,
      row.filename,
      row.detected_type ?? 'application/octet-stream',
      Buffer.from(row.content),
    );
  });

  /**
   * The attachments carried over to a ŞÖK: those of the mail registered as it and of mail added
   * to it later. They stay where the reader stored them (mail_attachment, server-side) and are
   * served to whoever may see the ŞÖK — a directorate it is routed to included — 404 otherwise.
   */
  contractRoute(app, contract.mailbox.sokAttachments, staff, async (request) => {
    const { user } = authOf(request);
    const sok = await db
      .selectFrom('sok')
      .select(['origin_org', 'target_org'])
      .where('id', '=', request.params.id)
      .where('deleted', '=', 0)
      .executeTakeFirst();
    if (sok === undefined || !canSee(user, sok)) throw notFound('no such ŞÖK you may see');
    const rows = await db
      .selectFrom('mail_attachment as a')
      .innerJoin('mail_item as i', 'i.id', 'a.item_id')
      .select(['a.id', 'a.filename', 'a.detected_type', 'a.size', 'a.refused'])
      .select(['i.id as item_id', 'i.state', 'i.received_at'])
      .where('i.sok_id', '=', request.params.id)
      .where('i.state', 'in', ['registered', 'linked'])
      .orderBy('i.received_at')
      .orderBy('a.position')
      .execute();
    return {
      attachments: rows.map((row) => ({
        id: row.id,
        filename: row.filename,
        type: row.detected_type,
        size: row.size,
        refused: row.refused,
        mailItemId: row.item_id,
        via: row.state === 'registered' ? ('registered' as const) : ('linked' as const),
        receivedAt: row.received_at,
      })),
    };
  });

  contractRoute(app, contract.mailbox.setAside, staff, async (request) => {
    const item = await loadItem(request, request.params.id);
    const { user } = authOf(request);
    const now = deps.clock().toISOString();
    const seq = await handleNewMail(db, item.id, {
      set: {
        state: 'set_aside',
        set_aside_reason: request.body.reason,
        set_aside_note: request.body.note ?? null,
        handled_by: user.id,
        handled_at: now,
      },
    });
    if (seq !== null) void deps.notifier.publish(seq).catch(() => undefined);
    return { ok: true as const };
  });

  /**
   * "Register as ŞÖK": the desk reserves the mail for the ŞÖK it is about to create (the id it
   * generated) before pushing `sok.create` through the ordinary intake path; the e-mail receipt
   * of that ŞÖK then answers the citizen's mail in its thread. Repeating it is harmless.
   */
  contractRoute(app, contract.mailbox.register, staff, async (request) => {
    const item = await loadItem(request, request.params.id);
    const { user } = authOf(request);
    const { sokId } = request.body;
    const existing = await db
      .selectFrom('sok')
      .select(['origin_org', 'target_org'])
      .where('id', '=', sokId)
      .executeTakeFirst();
    if (existing !== undefined && !canSee(user, existing)) {
      throw notFound('no such ŞÖK you may see');
    }
    const now = deps.clock().toISOString();
    const seq = await handleNewMail(db, item.id, {
      set: { state: 'registered', sok_id: sokId, handled_by: user.id, handled_at: now },
      repeated: (current) => current.state === 'registered' && current.sok_id === sokId,
    });
    if (seq !== null) void deps.notifier.publish(seq).catch(() => undefined);
    return { ok: true as const, sokId };
  });

  contractRoute(app, contract.mailbox.link, staff, async (request) => {
    const item = await loadItem(request, request.params.id);
    const { user } = authOf(request);
    const regNo = formatRegNo(parseRegNo(request.body.regNo)!);
    const sok = await db
      .selectFrom('sok')
      .select(['id', 'origin_org', 'target_org'])
      .where('reg_no', '=', regNo)
      .where('deleted', '=', 0)
      .executeTakeFirst();
    if (sok === undefined || !canSee(user, sok)) {
      throw badRequest('no such ŞÖK you may see', {
        regNo: 'Bu numarada görebileceğiniz bir ŞÖK yok.',
      });
    }
    const now = deps.clock().toISOString();
    const seq = await handleNewMail(db, item.id, {
      set: { state: 'linked', sok_id: sok.id, handled_by: user.id, handled_at: now },
      before: async (trx) => {
        // On the ŞÖK's timeline as the citizen's message (or, from an organisation's address,
        // as that organisation's answer): whoever evaluates it sees it there.
        await trx
          .insertInto('sok_event')
          .values({
            id: randomUUID(),
            sok_id: sok.id,
            change_seq: await nextChangeSeq(trx),
            kind: item.from_org_code === null ? 'citizen-email' : 'organisation-email',
            actor_id: user.id,
            actor_org: user.orgCode,
            at: now,
            note: item.body_text,
            data: JSON.stringify({
              mailItemId: item.id,
              from: item.from_address,
              orgCode: item.from_org_code,
              fromName: item.from_name,
              subject: item.subject,
              receivedAt: item.received_at,
            }),
          })
          .execute();
      },
    });
    if (seq !== null) void deps.notifier.publish(seq).catch(() => undefined);
    return { ok: true as const, sokId: sok.id, regNo };
  });
}
