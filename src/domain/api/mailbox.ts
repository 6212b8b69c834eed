import { z } from 'zod';
import { parseRegNo } from '../regno';
import { text } from '../text-input';
import { endpoint, FileSchema } from './endpoint';

/** The "E-posta" intake queue (docs/mailbox.md): mail read over IMAP, handled on the desk. */

export const MAIL_ITEM_KINDS = ['citizen', 'automatic', 'bounce', 'quarantined'] as const;
export const MAIL_ITEM_STATES = ['new', 'registered', 'linked', 'set_aside'] as const;
export const SET_ASIDE_REASONS = ['not-a-request', 'spam', 'duplicate', 'thanks'] as const;
export type SetAsideReason = (typeof SET_ASIDE_REASONS)[number];

export const MailAttachmentSchema = z.object({
  id: z.string(),
  filename: z.string(),
  /** The type decided by the content; null for a refused attachment. */
  type: z.string().nullable(),
  size: z.number(),
  /** Why its bytes were not kept ('type' | 'too-large' | 'too-many'); null when they were. */
  refused: z.string().nullable(),
});

/**
 * An attachment a ŞÖK carries over from the mail it was registered from (or a mail later added
 * to it): stored on the central API, downloaded with `mailbox.attachment`.
 */
export const SokAttachmentSchema = MailAttachmentSchema.extend({
  mailItemId: z.string(),
  /** 'registered': the mail the ŞÖK was registered from; 'linked': a mail added to it later. */
  via: z.enum(['registered', 'linked']),
  receivedAt: z.string(),
});
export type SokAttachment = z.infer<typeof SokAttachmentSchema>;

export const MailItemSchema = z.object({
  id: z.string(),
  mailbox: z.string(),
  orgCode: z.string(),
  kind: z.enum(MAIL_ITEM_KINDS),
  state: z.enum(MAIL_ITEM_STATES),
  from: z.object({
    address: z.string().nullable(),
    name: z.string().nullable(),
    orgCode: z.string().nullable(),
  }),
  subject: z.string(),
  sentAt: z.string().nullable(),
  receivedAt: z.string(),
  text: z.string(),
  messageId: z.string(),
  inReplyTo: z.string().nullable(),
  references: z.array(z.string()),
  noReply: z.boolean(),
  mentionedRegNo: z.string().nullable(),
  mentionedSokId: z.string().nullable(),
  quarantineReason: z.string().nullable(),
  setAsideReason: z.string().nullable(),
  setAsideNote: z.string().nullable(),
  sokId: z.string().nullable(),
  handledBy: z.string().nullable(),
  handledAt: z.string().nullable(),
  attachments: z.array(MailAttachmentSchema),
});
export type MailItem = z.infer<typeof MailItemSchema>;

export const MailListQuerySchema = z.strictObject({
  state: z.enum([...MAIL_ITEM_STATES, 'all']).default('new'),
  kind: z.enum(MAIL_ITEM_KINDS).optional(),
  /** Sender address, subject or text contains (case-insensitive on ASCII). */
  q: text({ min: 1, max: 200 }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const SetAsideBodySchema = z.strictObject({
  reason: z.enum(SET_ASIDE_REASONS, { error: 'Bir neden seçin.' }),
  note: text({ max: 500 }).optional(),
});

export const LinkBodySchema = z.strictObject({
  regNo: z
    .string()
    .trim()
    .refine((v) => parseRegNo(v) !== null, 'Geçerli bir kayıt numarası girin (ör. 0000-0018).'),
});

export const MailFiguresSchema = z.object({
  unhandled: z.number(),
  oldestUnhandledAt: z.string().nullable(),
  counts: z.array(
    z.object({
      orgCode: z.string(),
      state: z.enum(MAIL_ITEM_STATES),
      kind: z.enum(MAIL_ITEM_KINDS),
      n: z.number(),
    }),
  ),
});
export type MailFigures = z.infer<typeof MailFiguresSchema>;

const IdParams = z.strictObject({ id: z.uuid() });

export const mailbox = {
  items: endpoint('GET', '/mailbox/items', {
    query: MailListQuerySchema,
    response: z.object({ items: z.array(MailItemSchema) }),
  }),
  item: endpoint('GET', '/mailbox/items/:id', {
    params: IdParams,
    response: z.object({ item: MailItemSchema }),
  }),
  attachment: endpoint('GET', '/mailbox/attachments/:id', {
    params: IdParams,
    response: FileSchema,
    download: true,
  }),
  /** The attachments a ŞÖK carries from its mail(s), to whoever may see the ŞÖK. */
  sokAttachments: endpoint('GET', '/mailbox/soks/:id/attachments', {
    params: IdParams,
    response: z.object({ attachments: z.array(SokAttachmentSchema) }),
  }),
  setAside: endpoint('POST', '/mailbox/items/:id/set-aside', {
    params: IdParams,
    body: SetAsideBodySchema,
    response: z.object({ ok: z.literal(true) }),
  }),
  /** "Register as ŞÖK": reserves the mail for the ŞÖK id the desk generated; repeatable. */
  register: endpoint('POST', '/mailbox/items/:id/register', {
    params: IdParams,
    body: z.strictObject({ sokId: z.uuid() }),
    response: z.object({ ok: z.literal(true), sokId: z.string() }),
  }),
  link: endpoint('POST', '/mailbox/items/:id/link', {
    params: IdParams,
    body: LinkBodySchema,
    response: z.object({ ok: z.literal(true), sokId: z.string(), regNo: z.string() }),
  }),
  figures: endpoint('GET', '/mailbox/figures', { response: MailFiguresSchema }),
};
