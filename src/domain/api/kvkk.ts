import { z } from 'zod';
import {
  AccessEntrySchema,
  KVKK_TEXT_KINDS,
  RetentionScheduleSchema,
  SUBJECT_REQUEST_KINDS,
} from '../kvkk';
import { parseTurkishPhone } from '../phone';
import { SokWireSchema } from '../sync';
import { text } from '../text-input';
import { endpoint, FileSchema } from './endpoint';

/** One entry of the access log as a system administrator reads it. */
export const AccessLogEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  userId: z.string(),
  username: z.string().nullable(),
  displayName: z.string().nullable(),
  orgCode: z.string(),
  clientId: z.string().nullable(),
  kind: z.string(),
  sokId: z.string().nullable(),
  regNo: z.string().nullable(),
  detail: z.string(),
});
export type AccessLogEntry = z.infer<typeof AccessLogEntrySchema>;

/** A citizen's request (KVKK art. 11/13) with its due date and whether it is overdue. */
export const SubjectRequestViewSchema = z.object({
  id: z.string(),
  kind: z.enum(SUBJECT_REQUEST_KINDS),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  note: z.string(),
  receivedAt: z.string(),
  dueAt: z.string(),
  state: z.enum(['open', 'answered']),
  overdue: z.boolean(),
  answeredAt: z.string().nullable(),
  outcome: z.unknown(),
});
export type SubjectRequestView = z.infer<typeof SubjectRequestViewSchema>;

/** A citizen's Turkish phone number, read as E.164. */
const phoneParam = z
  .string()
  .max(40)
  .transform((v, ctx) => {
    const parsed = parseTurkishPhone(v);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: 'not a Turkish phone number' });
      return z.NEVER;
    }
    return parsed.e164;
  });
const emailParam = z
  .email()
  .max(254)
  .transform((v) => v.toLocaleLowerCase('en'));

/** The access log's filter: a user, a citizen (phone or e-mail), a period. */
const AccessLogFilter = {
  userId: z.uuid().optional(),
  phone: phoneParam.optional(),
  email: emailParam.optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(500),
};

const IdParam = z.strictObject({ id: z.uuid() });

/** One version of the notice (aydınlatma) or of the SMS-survey consent text. */
export const KvkkTextSchema = z.object({
  kind: z.enum(KVKK_TEXT_KINDS),
  version: z.number().int(),
  text: z.string(),
  publishedAt: z.string(),
});
export type KvkkTextView = z.infer<typeof KvkkTextSchema>;

/** What an erasure did: ŞÖKs anonymised, and those kept with the legal duty that keeps them. */
export const EraseOutcomeSchema = z.object({
  anonymised: z.array(z.string()),
  kept: z.array(z.object({ regNo: z.string(), reason: z.string() })),
  runId: z.string(),
  /** The administrator's own note on a duty to keep (a court case, an inspection…), if any. */
  reason: z.string(),
});
export type EraseOutcomeView = z.infer<typeof EraseOutcomeSchema>;

/** A correction of one ŞÖK of the person a request is about. */
export const CorrectionSchema = z.strictObject({
  sokId: z.uuid(),
  citizenName: text({ min: 2, max: 120 }).optional(),
  citizenPhone: phoneParam.optional(),
  citizenEmail: emailParam.optional(),
  address: text({ max: 500 }).optional(),
});

/** KVKK routes the desk calls (docs/kvkk.md). */
export const kvkk = {
  /** A desk's views of citizens' contact details; an entry resent (same id) is stored once. */
  recordAccess: endpoint('POST', '/kvkk/access', {
    body: z.strictObject({ entries: z.array(AccessEntrySchema).min(1).max(500) }),
    response: z.object({ stored: z.number().int().min(0) }),
  }),
  /** How long a desk keeps a closed ŞÖK's contact data (every signed-in user may read it). */
  deskRetention: endpoint('GET', '/kvkk/desk-retention', {
    response: RetentionScheduleSchema.pick({ deskClosedDays: true }),
  }),
  /**
   * One ŞÖK as the pull would send it to this user (same scope, same masking): a desk that
   * dropped the contact data of a closed ŞÖK shows it again from here, without storing it.
   */
  sok: endpoint('GET', '/kvkk/soks/:id', {
    params: z.strictObject({ id: z.uuid() }),
    response: z.object({ sok: SokWireSchema }),
  }),

  // The system administrators' routes (BİKOM admins, the data-protection contact).

  /** The access log, newest first (`format: 'csv'`: the CSV file, as `accessLogCsv`). */
  accessLog: endpoint('GET', '/kvkk/access-log', {
    query: z.strictObject({ ...AccessLogFilter, format: z.enum(['json', 'csv']).default('json') }),
    response: z.object({ entries: z.array(AccessLogEntrySchema) }),
  }),
  /** The access log as a CSV file (the same filter). */
  accessLogCsv: endpoint('GET', '/kvkk/access-log.csv', {
    query: z.strictObject(AccessLogFilter),
    download: true,
    response: FileSchema,
  }),
  retention: endpoint('GET', '/kvkk/retention', {
    response: z.object({ schedule: RetentionScheduleSchema }),
  }),
  setRetention: endpoint('PUT', '/kvkk/retention', {
    body: RetentionScheduleSchema,
    response: z.object({ schedule: RetentionScheduleSchema }),
  }),
  /** Registers a citizen's request; phone or e-mail is required (checked by the server). */
  registerRequest: endpoint('POST', '/kvkk/requests', {
    body: z.strictObject({
      kind: z.enum(SUBJECT_REQUEST_KINDS),
      phone: phoneParam.optional(),
      email: emailParam.optional(),
      /** When the citizen's request reached the municipality (default: now). */
      receivedAt: z.iso.datetime().optional(),
      note: text({ max: 2000 }).default(''),
    }),
    status: 201,
    response: SubjectRequestViewSchema,
  }),
  requests: endpoint('GET', '/kvkk/requests', {
    query: z.strictObject({ state: z.enum(['open', 'all']).default('open') }),
    response: z.object({ requests: z.array(SubjectRequestViewSchema) }),
  }),
  /** What is held about the person; `format: 'pdf'` answers with the PDF (`requestReportPdf`). */
  requestReport: endpoint('GET', '/kvkk/requests/:id/report', {
    params: IdParam,
    query: z.strictObject({ format: z.enum(['json', 'pdf']).default('json') }),
    response: z.object({ request: SubjectRequestViewSchema, findings: z.unknown() }),
  }),
  /** The answer's PDF: what is held about the person, for the reply to the citizen. */
  requestReportPdf: endpoint('GET', '/kvkk/requests/:id/report.pdf', {
    params: IdParam,
    download: true,
    response: FileSchema,
  }),
  /** Corrects the name, phone, e-mail or address of one of the person's ŞÖKs (KVKK 11/1-d). */
  correctRequest: endpoint('POST', '/kvkk/requests/:id/correct', {
    params: IdParam,
    body: CorrectionSchema,
    response: z.object({ corrected: z.string() }),
  }),
  /** Anonymises what no legal duty keeps (KVKK 7, 11/1-e); the outcome is kept on the request. */
  eraseRequest: endpoint('POST', '/kvkk/requests/:id/erase', {
    params: IdParam,
    body: z.strictObject({ reason: text({ max: 2000 }).default('') }),
    response: z.object({ outcome: EraseOutcomeSchema }),
  }),
  /** The version of each text in force (every desk reads it). */
  texts: endpoint('GET', '/kvkk/texts', {
    response: z.object({
      notice: KvkkTextSchema.nullable(),
      'sms-consent': KvkkTextSchema.nullable(),
    }),
  }),
  textVersions: endpoint('GET', '/kvkk/texts/:kind', {
    params: z.strictObject({ kind: z.enum(KVKK_TEXT_KINDS) }),
    response: z.object({ versions: z.array(KvkkTextSchema) }),
  }),
  publishText: endpoint('POST', '/kvkk/texts/:kind', {
    params: z.strictObject({ kind: z.enum(KVKK_TEXT_KINDS) }),
    body: z.strictObject({ text: text({ min: 20, max: 8000 }) }),
    status: 201,
    response: KvkkTextSchema,
  }),
  /** A citizen withdraws the SMS-survey consent: every ŞÖK of that phone or e-mail. */
  withdrawConsent: endpoint('POST', '/kvkk/consent/withdraw', {
    body: z.strictObject({ phone: phoneParam.optional(), email: emailParam.optional() }),
    response: z.object({ withdrawn: z.number().int().min(0) }),
  }),
  answerRequest: endpoint('POST', '/kvkk/requests/:id/answer', {
    params: IdParam,
    body: z.strictObject({ note: text({ min: 1, max: 4000 }) }),
    response: SubjectRequestViewSchema,
  }),
};
