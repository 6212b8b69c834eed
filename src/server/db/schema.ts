import type { ColumnType, Generated } from 'kysely';
import type { OrganisationKind } from '../../domain/reference';
import type { TimelineEventKind } from '../../domain/timeline';

/**
 * Row types of the server database, identical on PostgreSQL and SQLite: timestamps are ISO-8601
 * UTC text (`2025-01-31T09:15:00.000Z`, so text order is time order), booleans are integers 0/1,
 * JSON is text. Keep in step with db/migrations.
 */
export type IsoTimestamp = string;
/** 0 or 1. */
export type IntBool = number;
/** A column with a database default: optional on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;
/** A nullable column that may be left out on insert. */
type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>;

export const ROLES = ['agent', 'desk', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface DistrictTable {
  code: string;
  name: string;
}

export interface OrganisationTable {
  code: string;
  name: string;
  short_name: string;
  kind: OrganisationKind;
  district_code: string | null;
  public_phone: string | null;
  email: string | null;
  /** 1: outside the app; routed ŞÖKs go to it by e-mail (migration 0020). */
  external: Defaulted<IntBool>;
}

export interface AppUserTable {
  id: string;
  /** Stored lower-cased; unique. */
  username: string;
  display_name: string;
  /** scrypt, self-describing (see auth/password.ts). */
  password_hash: string;
  role: Role;
  org_code: string;
  active: Defaulted<IntBool>;
  failed_logins: Defaulted<number>;
  locked_until: IsoTimestamp | null;
  created_at: IsoTimestamp;
  updated_at: IsoTimestamp;
}

export type AuthThrottleKind = 'rate' | 'source-lock' | 'user-backoff' | 'known-source';

/** Sign-in counters shared by every instance (auth/throttle.ts, migration 0013). */
export interface AuthThrottleTable {
  key: string;
  kind: AuthThrottleKind;
  /** The username a counter is about; null for per-source request rates. */
  username: string | null;
  hits: number;
  window_started_at: IsoTimestamp;
  blocked_until: IsoTimestamp | null;
  updated_at: IsoTimestamp;
}

/**
 * Failed-login state for usernames that do not exist, so that lockout behaves the same whether
 * or not an account is behind a name (no user enumeration through the lockout message).
 */
export interface LoginThrottleTable {
  username: string;
  failed_logins: number;
  locked_until: IsoTimestamp | null;
  updated_at: IsoTimestamp;
}

export interface SessionTable {
  id: string;
  user_id: string;
  client_id: string;
  /** SHA-256 (hex) of the opaque access token; the token itself is never stored. */
  access_hash: string;
  access_expires_at: IsoTimestamp;
  refresh_hash: string;
  refresh_expires_at: IsoTimestamp;
  revoked_at: IsoTimestamp | null;
  /** Why the session ended: logout, refresh-replay, password-change, user-changed … */
  revoked_reason: string | null;
  created_at: IsoTimestamp;
}

/** Refresh tokens already rotated away; presenting one again is a replay. */
export interface RetiredRefreshTokenTable {
  refresh_hash: string;
  session_id: string;
  retired_at: IsoTimestamp;
}

/** One row per installation (clientId): state for idempotent push. */
export interface ClientTable {
  id: string;
  user_id: string;
  last_mutation_id: Defaulted<number>;
  created_at: IsoTimestamp;
  last_seen_at: IsoTimestamp;
}

export interface MutationLogTable {
  client_id: string;
  mutation_id: number;
  status: 'applied' | 'rejected';
  /** JSON text. */
  error: string | null;
  applied_at: IsoTimestamp;
}

export interface SokTable {
  id: string;
  reg_no: string;
  type_code: string;
  channel_code: string;
  topic_code: string;
  district_code: string;
  mahalle: string;
  address: string;
  description: string;
  citizen_name: string;
  citizen_phone: string;
  status: string;
  origin_org: string;
  target_org: string | null;
  created_by: string;
  created_at: IsoTimestamp;
  updated_at: IsoTimestamp;
  change_seq: number;
  deleted: Defaulted<IntBool>;
  citizen_email: Optional<string>;
  /** 'telefon' | 'sms' | 'e-posta'. */
  preferred_contact: Optional<string>;
  latitude: Optional<number>;
  longitude: Optional<number>;
  /** The user who read the KVKK notice to the citizen, and when; null when not given. */
  kvkk_notice_by: Optional<string>;
  kvkk_notice_at: Optional<IsoTimestamp>;
  sms_consent: Optional<IntBool>;
  /** The routing rule that chose target_org, or null when the agent overrode it … */
  route_rule_id: Optional<string>;
  /** … with this reason. */
  route_reason: Optional<string>;
  /** Who took it into evaluation, and when (migration 0005). */
  accepted_by: Optional<string>;
  accepted_at: Optional<IsoTimestamp>;
  /** The decision (domain `Decision`) as JSON; null until decided or after a reopen. */
  decision: Optional<string>;
  /** The callback task (domain `Callback`) as JSON, and the fields queues filter on. */
  callback: Optional<string>;
  callback_owner_org: Optional<string>;
  callback_state: Optional<string>;
  callback_due_at: Optional<IsoTimestamp>;
  callback_closed_at: Optional<IsoTimestamp>;
  claimed_by: Optional<string>;
  claim_until: Optional<IsoTimestamp>;
  escalation_level: Optional<number>;
  /** When the citizen's personal data was destroyed (KVKK, migration 0018); null while kept. */
  anonymised_at: Optional<IsoTimestamp>;
  /** The version of the notice read and of the survey consent given; when it was withdrawn. */
  kvkk_notice_version: Optional<number>;
  sms_consent_version: Optional<number>;
  sms_consent_withdrawn_at: Optional<IsoTimestamp>;
}

/** Extra days off declared by circular (idari izin), edited by admins. */
export interface DayOffTable {
  date: string;
  kind: 'full' | 'half';
  note: string;
  updated_by: string | null;
  updated_at: IsoTimestamp;
}

export interface RoutingRuleTable {
  id: string;
  topic: string;
  district: string | null;
  /** JSON array of folded words, or null. */
  place: string | null;
  target: string;
  priority: number;
  note: string;
  updated_by: string | null;
  updated_at: IsoTimestamp;
}

export interface SokEventTable {
  id: string;
  sok_id: string;
  change_seq: number;
  /** Read as text (older rows may hold a kind since retired); written only from the list. */
  kind: ColumnType<string, TimelineEventKind, TimelineEventKind>;
  actor_id: string | null;
  actor_org: string | null;
  at: IsoTimestamp;
  note: string;
  /** JSON text. */
  data: string | null;
}

/** `stats_mark` exists on SQLite only (migration 0010: the stats triggers' marking counter). */
export type CounterName = 'change' | 'reg_no' | 'stats_mark';

export interface CounterTable {
  name: CounterName;
  value: number;
}

/** "Organisation `org_code` lost sight of ŞÖK `sok_id` at change `seq`." */
export interface AccessRevocationTable {
  seq: number;
  sok_id: string;
  org_code: string;
  created_at: IsoTimestamp;
}

/** A block of registration-number sequences leased to one installation. */
export interface NumberBlockTable {
  start: number;
  end_incl: number;
  client_id: string;
  user_id: string;
  leased_at: IsoTimestamp;
}

export interface Database {
  district: DistrictTable;
  organisation: OrganisationTable;
  app_user: AppUserTable;
  login_throttle: LoginThrottleTable;
  auth_throttle: AuthThrottleTable;
  session: SessionTable;
  retired_refresh_token: RetiredRefreshTokenTable;
  client: ClientTable;
  mutation_log: MutationLogTable;
  sok: SokTable;
  counter: CounterTable;
  access_revocation: AccessRevocationTable;
  number_block: NumberBlockTable;
  routing_rule: RoutingRuleTable;
  sok_event: SokEventTable;
  notification: NotificationTable;
  notification_template: NotificationTemplateTable;
  day_off: DayOffTable;
}

/** How a notification reaches the citizen. */
export type NotificationChannel = 'sms' | 'email';
/** pending → sending (claimed by a worker) → sent | pending (retry) | failed (gave up). */
export type NotificationState = 'pending' | 'sending' | 'sent' | 'failed';

/**
 * The server-side outbox of messages to citizens (receipts now; referral and decision notices
 * later). The text is rendered when the row is written, so what is sent is what was promised.
 */
export interface NotificationTable {
  id: string;
  sok_id: string;
  channel: NotificationChannel;
  /** 'receipt' | 'referral' | 'decision' … */
  purpose: string;
  /** E.164 phone number or e-mail address. */
  recipient: string;
  /** E-mail subject; null for SMS. */
  subject: string | null;
  body: string;
  state: NotificationState;
  attempts: number;
  /** When a pending row is next due. */
  next_attempt_at: IsoTimestamp;
  last_error: string | null;
  provider_message_id: string | null;
  /** Set while `sending`: which claim holds the row, and until when (then it is recovered). */
  claim_token: string | null;
  claimed_until: IsoTimestamp | null;
  created_at: IsoTimestamp;
  updated_at: IsoTimestamp;
  sent_at: IsoTimestamp | null;
  change_seq: number;
  /**
   * An e-mail to an organisation that has no mailbox yet: held as failed (visible, with the
   * reason) and released to this organisation's address when an administrator sets it.
   */
  awaiting_org: ColumnType<string | null, string | null | undefined, string | null>;
  /** The organisation an e-mail to an organisation went to (null for a citizen's message). */
  to_org: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Admin-editable message texts with {{placeholders}}; seeded from resources/templates. */
export interface NotificationTemplateTable {
  /** 'receipt.sms', 'receipt.email', 'receipt.follow-up' … */
  code: string;
  locale: string;
  subject: string | null;
  body: string;
  updated_by: string | null;
  updated_at: IsoTimestamp;
}

/**
 * API keys for machine clients (the municipality's web form posting Open311 requests). Only the
 * SHA-256 of a key is stored; `key_prefix` is its first characters, for telling keys apart.
 */
export interface ApiKeyTable {
  id: string;
  name: string;
  key_prefix: string;
  key_hash: string;
  /** The service account the key acts as: ŞÖKs it registers are created by this user. */
  acting_user_id: string;
  /** The organisation its ŞÖKs come from (the acting user's when the key was issued). */
  org_code: string;
  /** The admin who issued it. */
  created_by: string;
  created_at: IsoTimestamp;
  revoked_at: IsoTimestamp | null;
}

// Declaration merging adds the table to `Database` above without editing it.
export interface Database {
  api_key: ApiKeyTable;
}

/** One call logged by an agent's desk (migration 0006-calls). */
export interface CallLogTable {
  id: string;
  org_code: string;
  agent_id: string;
  /** The sync stream that pushed it. */
  client_id: string;
  sip_call_id: string;
  direction: 'inbound' | 'outbound';
  number: string;
  started_at: IsoTimestamp;
  answered_at: IsoTimestamp | null;
  ended_at: IsoTimestamp;
  duration_seconds: number;
  /** answered | missed | rejected | failed */
  outcome: string;
  end_reason: Defaulted<string>;
  disposition: string | null;
  sok_id: string | null;
  note: Defaulted<string>;
  wrapped_up_at: IsoTimestamp | null;
  /**
   * For a missed inbound call: 'owed' until settled, then 'done' (returned), 'unreachable' or
   * 'not-needed'; null for other calls.
   */
  callback_state: string | null;
  recorded_at: IsoTimestamp;
  /** Who settled an owed call, when, and a note (migration 0008). */
  callback_by: Optional<string>;
  callback_at: Optional<IsoTimestamp>;
  callback_note: Optional<string>;
  /** When the number was erased under the retention schedule (migration 0018). */
  anonymised_at: Optional<IsoTimestamp>;
}

/** An agent's current state (available, break, wrap-up, dnd, offline). */
export interface AgentStateTable {
  user_id: string;
  org_code: string;
  state: string;
  reason: string | null;
  since: IsoTimestamp;
  updated_at: IsoTimestamp;
}

export interface AgentStateHistoryTable {
  id: string;
  user_id: string;
  org_code: string;
  state: string;
  reason: string | null;
  at: IsoTimestamp;
  recorded_at: IsoTimestamp;
}

/**
 * The call an agent's desk last reported, or none (migration 0009): one row per agent, kept when
 * the call ends so that an older report arriving late cannot bring the call back.
 */
export interface AgentCallTable {
  user_id: string;
  org_code: string;
  /** The session that delivered the report: the call is shown only while it is alive. */
  session_id: string;
  /** The rest is null when the desk reported that it has no call. */
  call_id: string | null;
  phase: 'ringing' | 'talking' | null;
  direction: 'inbound' | 'outbound' | null;
  started_at: IsoTimestamp | null;
  answered_at: IsoTimestamp | null;
  sok_id: string | null;
  /** When the desk made the report (never later than the server's clock). */
  at: IsoTimestamp;
  updated_at: IsoTimestamp;
}

export interface Database {
  call_log: CallLogTable;
  agent_state: AgentStateTable;
  agent_state_history: AgentStateHistoryTable;
  agent_call: AgentCallTable;
}

/** One monthly report e-mail (migration 0007): claimed, sent, or failed and retried. */
export interface MonthlyReportTable {
  /** YYYY-MM (Istanbul). */
  month: string;
  state: 'sending' | 'sent' | 'failed';
  /** Comma-separated addresses it went (or goes) to. */
  recipients: string;
  attempts: number;
  last_error: string | null;
  claimed_until: IsoTimestamp;
  updated_at: IsoTimestamp;
  sent_at: IsoTimestamp | null;
}

export interface Database {
  monthly_report: MonthlyReportTable;
}

export type StatsBasis = 'created' | 'due';

/**
 * Monthly supervisor figures (migration 0010), per viewer ('*' or an organisation), dimension
 * and key. Basis 'created': ŞÖKs registered in the Istanbul month (n, ended, legal_ok); basis
 * 'due': callbacks due in it (n, ended = closed, on_time). src/server/supervisor/stats.ts.
 */
export interface SokStatsTable {
  basis: StatsBasis;
  /** YYYY-MM, Istanbul. */
  month: string;
  viewer: string;
  dim: string;
  /** '' for none. */
  key: string;
  n: number;
  ended: number;
  legal_ok: number;
  on_time: number;
}

/** A month whose `sok_stats` are stale; `seq` changes with every marking. */
export interface SokStatsDirtyTable {
  basis: StatsBasis;
  month: string;
  seq: number;
}

export interface Database {
  sok_stats: SokStatsTable;
  sok_stats_dirty: SokStatsDirtyTable;
}

/** One set of routing rules that was in force (migration 0016). */
export interface RoutingRuleVersionTable {
  version: number;
  /** JSON array of the rules. */
  rules: string;
  action: 'seed' | 'edit' | 'rollback';
  rolled_back_to: number | null;
  changed_by: string | null;
  changed_at: IsoTimestamp;
  /** JSON: { added, removed, changed } against the version before. */
  changes: string;
}

export interface Database {
  routing_rule_version: RoutingRuleVersionTable;
}

// ── The Alo-153 mailbox (migration 0017, issue #18, docs/mailbox.md) ─────────────────────────

/** Per mailbox: the UIDVALIDITY and highest UID taken, committed with the item it belongs to. */
export interface MailboxCheckpointTable {
  mailbox: string;
  uid_validity: number;
  last_uid: number;
  updated_at: IsoTimestamp;
}

/** SQLite only: which reader holds a mailbox, until when (PostgreSQL: an advisory lock). */
export interface MailboxLeaseTable {
  mailbox: string;
  holder: string;
  expires_at: IsoTimestamp;
}

export type MailItemKind = 'citizen' | 'automatic' | 'bounce' | 'quarantined';
export type MailItemState = 'new' | 'registered' | 'linked' | 'set_aside';

/** One e-mail in the "E-posta" intake queue of the organisation that owns its mailbox. */
export interface MailItemTable {
  id: string;
  mailbox: string;
  org_code: string;
  uid_validity: number;
  uid: number;
  message_id: string;
  kind: MailItemKind;
  state: MailItemState;
  from_address: string | null;
  from_name: string | null;
  subject: string;
  sent_at: IsoTimestamp | null;
  received_at: IsoTimestamp;
  body_text: string;
  in_reply_to: string | null;
  /** JSON array of Message-IDs. */
  refs: string;
  no_reply: Defaulted<IntBool>;
  /** The organisation whose e-mail address sent it (its answer about a ŞÖK), else null. */
  from_org_code: string | null;
  mentioned_reg_no: string | null;
  mentioned_sok_id: string | null;
  quarantine_reason: string | null;
  set_aside_reason: string | null;
  set_aside_note: string | null;
  bounced_notification_id: string | null;
  sok_id: string | null;
  handled_by: string | null;
  handled_at: IsoTimestamp | null;
  raw_size: number;
  raw: Buffer | null;
  change_seq: number;
}

export type MailAttachmentRefusal = 'type' | 'too-large' | 'too-many';

export interface MailAttachmentTable {
  id: string;
  item_id: string;
  position: number;
  filename: string;
  declared_type: string;
  detected_type: string | null;
  size: number;
  sha256: string;
  refused: MailAttachmentRefusal | null;
  content: Buffer | null;
}

export interface Database {
  mailbox_checkpoint: MailboxCheckpointTable;
  mailbox_lease: MailboxLeaseTable;
  mail_item: MailItemTable;
  mail_attachment: MailAttachmentTable;
}

/** KVKK settings by key; 'retention' holds the domain's RetentionSchedule as JSON (0018). */
export interface KvkkSettingTable {
  key: string;
  value: string;
  updated_by: string | null;
  updated_at: IsoTimestamp;
}

/** One destruction (anonymisation) run, as the destruction regulation requires it recorded. */
export interface DestructionRunTable {
  id: string;
  started_at: IsoTimestamp;
  finished_at: IsoTimestamp;
  trigger: 'periodic' | 'subject-request';
  started_by: string | null;
  method: Defaulted<string>;
  /** JSON: the rule it ran under and its cut-offs. */
  rule: string;
  sok_count: number;
  call_count: number;
  notification_count: number;
}

/** Who saw which citizen's contact details, when and from which desk. Append-only. */
export interface PersonalDataAccessTable {
  id: string;
  at: IsoTimestamp;
  recorded_at: IsoTimestamp;
  user_id: string;
  org_code: string;
  client_id: string | null;
  kind: string;
  sok_id: string | null;
  detail: Defaulted<string>;
}

/** A citizen's request under KVKK art. 11, answered within 30 days (art. 13). */
export interface SubjectRequestTable {
  id: string;
  kind: 'access' | 'correct' | 'erase';
  subject_phone: string | null;
  subject_email: string | null;
  note: Defaulted<string>;
  received_at: IsoTimestamp;
  due_at: IsoTimestamp;
  registered_by: string;
  state: 'open' | 'answered';
  answered_at: IsoTimestamp | null;
  answered_by: string | null;
  /** JSON: what was found and done. */
  outcome: string | null;
  /** When the call centre's mailbox was told the request is due within five days (0021). */
  due_soon_mailed_at: ColumnType<IsoTimestamp | null, IsoTimestamp | null | undefined>;
  /** When it was told the request is overdue (0021). */
  overdue_mailed_at: ColumnType<IsoTimestamp | null, IsoTimestamp | null | undefined>;
}

/** A version of the notice (aydınlatma) or of the SMS-survey consent wording (0018). */
export interface KvkkTextTable {
  kind: 'notice' | 'sms-consent';
  version: number;
  text: string;
  published_at: IsoTimestamp;
  published_by: string | null;
}

export interface Database {
  kvkk_text: KvkkTextTable;
  kvkk_setting: KvkkSettingTable;
  destruction_run: DestructionRunTable;
  personal_data_access: PersonalDataAccessTable;
  subject_request: SubjectRequestTable;
}

/** A call to a line number, in arrival order (migration 0019, src/server/line). */
export interface LineCallerTable {
  seq: Generated<number>;
  id: string;
  line: string;
  org_code: string;
  sip_call_id: string;
  /** Canonical form (domain/phone.ts). */
  number: string;
  /** waiting | offered | answered | abandoned | timed-out | ended (domain/call-queue.ts) */
  state: string;
  /** The agent offered the call now, or who answered it. */
  agent_id: string | null;
  offer_id: string | null;
  /** The missed call recorded when the caller left without an answer. */
  call_log_id: string | null;
  arrived_at: IsoTimestamp;
  answered_at: IsoTimestamp | null;
  ended_at: IsoTimestamp | null;
  /** The SIP front's last word about this caller (arrival, a poll, an offer's result). */
  last_seen_at: IsoTimestamp;
}

/** One offer of a line call to an agent (migration 0019). */
export interface LineOfferTable {
  id: string;
  caller_seq: number;
  agent_id: string;
  extension: string;
  /** ringing | no-answer | unreachable | answered | caller-gone */
  outcome: string;
  offered_at: IsoTimestamp;
  ring_until: IsoTimestamp;
  answered_at: IsoTimestamp | null;
  /** When an answered call ended (or the offer was settled otherwise). */
  ended_at: IsoTimestamp | null;
}

/** The SIP extension an agent's phone registers, and their skills (migration 0019). */
export interface LineAgentTable {
  user_id: string;
  extension: string;
  /** JSON array of skill names. */
  skills: string;
  updated_at: IsoTimestamp;
}

export interface Database {
  line_caller: LineCallerTable;
  line_offer: LineOfferTable;
  line_agent: LineAgentTable;
}
