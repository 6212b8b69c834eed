import type { Kysely } from 'kysely';
import { z } from 'zod';
import shipped from '../../../resources/templates/receipts.tr.json';
import type { Database, NotificationChannel } from '../db/schema';

/**
 * Message templates: admin-editable texts with `{{placeholders}}`. Which templates exist, which
 * placeholders each may use and which it must use are decided here (code); the texts are data,
 * shipped in resources/templates and seeded into `notification_template` (insert missing only,
 * so an admin's edit is never overwritten by an upgrade).
 */
export const PLACEHOLDERS = [
  'regNo',
  'topic',
  'date',
  'followUp',
  'citizenName',
  'organisation',
  'organisationPhone',
  'reason',
  /** The decision as the citizen is told it (the callback script). */
  'decision',
  /** How the callback ended (reached, unreachable) or how late it is. */
  'outcome',
  /** An external organisation's request (docs/mailbox.md): where, as district / mahalle / address. */
  'place',
  /** What the citizen asks (the ŞÖK's description). */
  'request',
  /** "Please call the citizen back on …" when the organisation is to call back; else empty. */
  'callBack',
  /** The date by which an answer is expected. */
  'replyBy',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type TemplateValues = Partial<Record<Placeholder, string>>;

export interface TemplateKind {
  code: string;
  /** Null for a snippet used inside other templates. */
  channel: NotificationChannel | null;
  purpose: string;
  /** Turkish, for the admin screen. */
  title: string;
  placeholders: readonly Placeholder[];
  required: readonly Placeholder[];
  hasSubject: boolean;
  maxBodyLength: number;
}

const RECEIPT_PLACEHOLDERS: readonly Placeholder[] = [
  'regNo',
  'topic',
  'date',
  'followUp',
  'citizenName',
];
// Circular 2004/12: the receipt gives the date, the registration number and the subject.
const RECEIPT_REQUIRED: readonly Placeholder[] = ['regNo', 'topic', 'date'];

const EXTERNAL_PLACEHOLDERS: readonly Placeholder[] = [
  'regNo',
  'topic',
  'date',
  'organisation',
  'place',
  'request',
  'callBack',
  'replyBy',
];

const REFERRAL_PLACEHOLDERS: readonly Placeholder[] = [
  ...RECEIPT_PLACEHOLDERS,
  'organisation',
  'organisationPhone',
  'reason',
];
// Law 3071 art. 5: a request sent on to another body is forwarded, and the citizen is told where.
const REFERRAL_REQUIRED: readonly Placeholder[] = ['regNo', 'organisation'];

const DECISION_PLACEHOLDERS: readonly Placeholder[] = [...REFERRAL_PLACEHOLDERS, 'decision'];
const HANDOFF_PLACEHOLDERS: readonly Placeholder[] = [...DECISION_PLACEHOLDERS, 'outcome'];

export const TEMPLATE_KINDS: readonly TemplateKind[] = [
  {
    code: 'receipt.sms',
    channel: 'sms',
    purpose: 'receipt',
    title: 'Başvuru alındı SMS’i',
    placeholders: RECEIPT_PLACEHOLDERS,
    required: RECEIPT_REQUIRED,
    hasSubject: false,
    maxBodyLength: 480,
  },
  {
    code: 'receipt.email',
    channel: 'email',
    purpose: 'receipt',
    title: 'Başvuru alındı e-postası',
    placeholders: RECEIPT_PLACEHOLDERS,
    required: RECEIPT_REQUIRED,
    hasSubject: true,
    maxBodyLength: 10_000,
  },
  {
    code: 'referral.sms',
    channel: 'sms',
    purpose: 'referral',
    title: 'Başvurunuz iletildi SMS’i (yeniden yönlendirme)',
    placeholders: REFERRAL_PLACEHOLDERS,
    required: REFERRAL_REQUIRED,
    hasSubject: false,
    maxBodyLength: 480,
  },
  {
    code: 'referral.email',
    channel: 'email',
    purpose: 'referral',
    title: 'Başvurunuz iletildi e-postası (yeniden yönlendirme)',
    placeholders: REFERRAL_PLACEHOLDERS,
    required: REFERRAL_REQUIRED,
    hasSubject: true,
    maxBodyLength: 10_000,
  },
  {
    code: 'decision.sms',
    channel: 'sms',
    purpose: 'decision',
    title: 'Karar SMS’i (vatandaşa ulaşılamadığında)',
    placeholders: DECISION_PLACEHOLDERS,
    required: ['regNo', 'decision'],
    hasSubject: false,
    maxBodyLength: 480,
  },
  {
    code: 'decision.email',
    channel: 'email',
    purpose: 'decision',
    title: 'Karar e-postası (vatandaşa ulaşılamadığında)',
    placeholders: DECISION_PLACEHOLDERS,
    required: ['regNo', 'decision'],
    hasSubject: true,
    maxBodyLength: 10_000,
  },
  {
    code: 'handoff.email',
    channel: 'email',
    purpose: 'handoff',
    title: 'Diğer tarafa bilgi e-postası (BİKOM ↔ ilçe)',
    placeholders: HANDOFF_PLACEHOLDERS,
    required: ['regNo', 'decision', 'outcome'],
    hasSubject: true,
    maxBodyLength: 10_000,
  },
  {
    code: 'escalation.email',
    channel: 'email',
    purpose: 'escalation',
    title: 'Geciken geri arama bildirimi (süpervizörlere)',
    placeholders: HANDOFF_PLACEHOLDERS,
    required: ['regNo', 'outcome'],
    hasSubject: true,
    maxBodyLength: 10_000,
  },
  {
    code: 'external-request.email',
    channel: 'email',
    purpose: 'external-request',
    title: 'Uygulama dışındaki kuruma iletilen ŞÖK',
    placeholders: EXTERNAL_PLACEHOLDERS,
    required: ['regNo', 'request'],
    hasSubject: true,
    maxBodyLength: 10_000,
  },
  {
    code: 'external-reminder.email',
    channel: 'email',
    purpose: 'external-reminder',
    title: 'Uygulama dışındaki kuruma hatırlatma (yanıt gelmedi)',
    placeholders: EXTERNAL_PLACEHOLDERS,
    required: ['regNo'],
    hasSubject: true,
    maxBodyLength: 10_000,
  },
  {
    code: 'receipt.follow-up',
    channel: null,
    purpose: 'receipt',
    title: 'Takip cümlesi ({{followUp}})',
    placeholders: ['regNo'],
    required: [],
    hasSubject: false,
    maxBodyLength: 300,
  },
];

export const TEMPLATE_LOCALE = 'tr';
const SUBJECT_MAX = 200;
/** `{{name}}`, spaces inside the braces allowed. */
const TOKEN = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;

export function templateKind(code: string): TemplateKind | undefined {
  return TEMPLATE_KINDS.find((k) => k.code === code);
}

export interface TemplateText {
  subject: string | null;
  body: string;
}

const ShippedSchema = z.strictObject({
  locale: z.literal(TEMPLATE_LOCALE),
  templates: z.array(
    z.strictObject({ code: z.string(), subject: z.string().nullable(), body: z.string() }),
  ),
});

/** The shipped texts, checked against the kinds when the server loads. */
export const DEFAULT_TEMPLATES: ReadonlyMap<string, TemplateText> = loadShipped(shipped);

function loadShipped(raw: unknown): Map<string, TemplateText> {
  const file = ShippedSchema.parse(raw);
  const map = new Map<string, TemplateText>();
  for (const t of file.templates) {
    const problems = validateTemplate(t.code, t);
    if (Object.keys(problems).length > 0) {
      throw new Error(
        `resources/templates/receipts.tr.json: ${t.code}: ${JSON.stringify(problems)}`,
      );
    }
    map.set(t.code, { subject: t.subject, body: t.body });
  }
  for (const kind of TEMPLATE_KINDS) {
    if (!map.has(kind.code)) {
      throw new Error(`resources/templates/receipts.tr.json: missing template ${kind.code}`);
    }
  }
  return map;
}

/** Placeholder names used in a text, in order of first use. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(TOKEN)].map((m) => m[1] ?? ''))];
}

/**
 * Problems with a template text, one Turkish message per field (`subject`, `body`); empty when
 * it is fine. Unknown codes are the caller's 404.
 */
export function validateTemplate(code: string, text: TemplateText): Record<string, string> {
  const kind = templateKind(code);
  const fields: Record<string, string> = {};
  if (kind === undefined) return { code: 'Bilinmeyen şablon.' };
  const allowed = new Set<string>(kind.placeholders);
  const list = kind.placeholders.map((p) => `{{${p}}}`).join(', ');

  const check = (field: 'subject' | 'body', value: string) => {
    if (/\{\{|\}\}/.test(value.replace(TOKEN, ''))) {
      fields[field] = 'Yer tutucular {{regNo}} biçiminde, çift süslü parantezle yazılmalıdır.';
      return;
    }
    const unknown = placeholdersIn(value).filter((p) => !allowed.has(p));
    if (unknown.length > 0) {
      fields[field] =
        `Bilinmeyen yer tutucu: ${unknown.map((p) => `{{${p}}}`).join(', ')}. ` +
        `Kullanılabilenler: ${list}.`;
    }
  };

  if (kind.hasSubject) {
    const subject = text.subject?.trim() ?? '';
    if (subject === '') fields.subject = 'E-posta konusu zorunludur.';
    else if (/[\r\n]/.test(subject)) fields.subject = 'Konu tek satır olmalıdır.';
    else if (subject.length > SUBJECT_MAX) {
      fields.subject = `Konu en fazla ${SUBJECT_MAX} karakter olabilir.`;
    } else check('subject', subject);
  } else if (text.subject !== null && text.subject.trim() !== '') {
    fields.subject = 'Bu şablonun konusu olmaz.';
  }

  const body = text.body;
  if (body.trim() === '') fields.body = 'Metin boş olamaz.';
  else if (body.length > kind.maxBodyLength) {
    fields.body = `Metin en fazla ${kind.maxBodyLength} karakter olabilir.`;
  } else check('body', body);

  if (fields.body === undefined) {
    const used = new Set([...placeholdersIn(text.subject ?? ''), ...placeholdersIn(body)]);
    const missing = kind.required.filter((p) => !used.has(p));
    if (missing.length > 0) {
      const names = missing.map((p) => `{{${p}}}`).join(', ');
      fields.body =
        kind.purpose === 'receipt'
          ? `Alındı metninde ${names} bulunmalıdır (Genelge 2004/12: tarih, kayıt numarası ve konu).`
          : `Metinde ${names} bulunmalıdır.`;
    }
  }
  return fields;
}

/**
 * Fills the placeholders in one pass: a value is never itself searched for placeholders, so a
 * topic name with braces cannot inject anything. Unknown or missing values render as empty.
 */
export function renderTemplate(text: string, values: TemplateValues): string {
  return text.replace(TOKEN, (_, name: string) => values[name as Placeholder] ?? '');
}

/** Inserts the shipped templates that are missing; never overwrites one. Returns how many. */
export async function seedNotificationTemplates(db: Kysely<Database>, now: Date): Promise<number> {
  let inserted = 0;
  for (const [code, text] of DEFAULT_TEMPLATES) {
    const result = await db
      .insertInto('notification_template')
      .values({
        code,
        locale: TEMPLATE_LOCALE,
        subject: text.subject,
        body: text.body,
        updated_by: null,
        updated_at: now.toISOString(),
      })
      .onConflict((oc) => oc.columns(['code', 'locale']).doNothing())
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return inserted;
}

export interface StoredTemplate extends TemplateText {
  code: string;
  locale: string;
  updatedBy: string | null;
  updatedAt: string | null;
}

/** The template in force: the stored one, or the shipped text when none is stored yet. */
export async function loadTemplate(
  db: Kysely<Database>,
  code: string,
  locale = TEMPLATE_LOCALE,
): Promise<TemplateText> {
  const row = await db
    .selectFrom('notification_template')
    .select(['subject', 'body'])
    .where('code', '=', code)
    .where('locale', '=', locale)
    .executeTakeFirst();
  if (row !== undefined) return row;
  const fallback = DEFAULT_TEMPLATES.get(code);
  if (fallback === undefined) throw new Error(`no template ${code}`);
  return fallback;
}

/** Every template in force by code (stored, else shipped), for code that needs several. */
export async function loadAllTemplates(
  db: Kysely<Database>,
  locale = TEMPLATE_LOCALE,
): Promise<Map<string, TemplateText>> {
  const all = new Map<string, TemplateText>(DEFAULT_TEMPLATES);
  const rows = await db
    .selectFrom('notification_template')
    .select(['code', 'subject', 'body'])
    .where('locale', '=', locale)
    .execute();
  for (const row of rows) all.set(row.code, { subject: row.subject, body: row.body });
  return all;
}

/** Every known template (stored or shipped), in the order of TEMPLATE_KINDS. */
export async function listTemplates(db: Kysely<Database>): Promise<StoredTemplate[]> {
  const rows = await db
    .selectFrom('notification_template')
    .selectAll()
    .where('locale', '=', TEMPLATE_LOCALE)
    .execute();
  return TEMPLATE_KINDS.map((kind) => {
    const row = rows.find((r) => r.code === kind.code);
    const fallback = DEFAULT_TEMPLATES.get(kind.code) ?? { subject: null, body: '' };
    return {
      code: kind.code,
      locale: TEMPLATE_LOCALE,
      subject: row?.subject ?? fallback.subject,
      body: row?.body ?? fallback.body,
      updatedBy: row?.updated_by ?? null,
      updatedAt: row?.updated_at ?? null,
    };
  });
}

/** Stores an admin's text (validate it first). */
export async function saveTemplate(
  db: Kysely<Database>,
  code: string,
  text: TemplateText,
  userId: string,
  now: Date,
): Promise<void> {
  const values = {
    subject: text.subject === null || text.subject.trim() === '' ? null : text.subject.trim(),
    body: text.body,
    updated_by: userId,
    updated_at: now.toISOString(),
  };
  await db
    .insertInto('notification_template')
    .values({ code, locale: TEMPLATE_LOCALE, ...values })
    .onConflict((oc) => oc.columns(['code', 'locale']).doUpdateSet(values))
    .execute();
}
