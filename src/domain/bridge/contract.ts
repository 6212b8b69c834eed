import { z } from 'zod';
import { text } from '../text-input';
import type { ReferenceSnapshot } from '../reference';
import { RoutingRuleSchema, type RouteSuggestion, type RoutingRule } from '../routing';
import type { RoutingVersion } from '../routing-history';
import {
  SokDraftSchema,
  SokListSchema,
  SokSearchSchema,
  type Sok,
  type SokListPage,
  type SokSearchResult,
} from '../sok';
import { SokRoutePayloadSchema, type ReceiptWire, type SokEvent } from '../sync';
import { DayOffSchema, type DayOff } from '../calendar/calendar';
import type { Result } from '../errors';
import {
  AcceptPayloadSchema,
  AttemptPayloadSchema,
  ClaimPayloadSchema,
  ClosePayloadSchema,
  DecidePayloadSchema,
  ReleasePayloadSchema,
  ReopenPayloadSchema,
  ReturnPayloadSchema,
  AssignPayloadSchema,
  EscalatePayloadSchema,
} from '../workflow/inputs';
import { CallbackQuerySchema, InboxQuerySchema } from '../queues';
import {
  LinkBodySchema,
  MAIL_ITEM_STATES,
  SetAsideBodySchema,
  type MailItem,
  type SokAttachment,
} from '../api/mailbox';
import type {
  AccessLogEntry,
  EraseOutcomeView,
  KvkkTextView,
  SubjectRequestView,
} from '../api/kvkk';
import {
  KVKK_TEXT_KINDS,
  RetentionScheduleSchema,
  SUBJECT_REQUEST_KINDS,
  type RetentionSchedule,
} from '../kvkk';
import type { LineLiveResponse, LineWaitingResponse } from '../line-console';
import { NOTIFICATION_KINDS } from '../shell-policy';
import { ShellCommandSchema, ShellStateSchema } from '../shell';
import { SipDiagnosticsSchema, type Diagnostics } from '../diagnostics';
import type { WorkflowSettingsWire } from '../workflow-settings';
import {
  AGENT_STATES,
  BREAK_REASONS,
  CallLogPayloadSchema,
  CallWrapUpPayloadSchema,
  CurrentCallSchema,
  PhoneSettingsSaveSchema,
  type AgentStateRow,
  type AgentStateView,
  type CallLogEntry,
  type PhoneCredentials,
  type PhoneSettingsView,
} from '../call';
import {
  ExportQuerySchema,
  MonthlyReportQuerySchema,
  PeriodQuerySchema,
  QueueItemsQuerySchema,
  type Download,
  type QueueItemsResponse,
  type QueuesResponse,
  type OutlookResponse,
  type SlaResponse,
  type MailFiguresResponse,
  type ExternalFiguresResponse,
  type StaffMember,
  type VolumesResponse,
} from '../supervisor';
import {
  AdminUserCreateSchema,
  AdminUserUpdateSchema,
  LoginSchema,
  PasswordChangeSchema,
  SetupAdminSchema,
  SyncStatusSchema,
  type AdminUser,
  type AuthStatus,
  type DemoSummary,
  type RejectedMutation,
  type SessionUser,
  type SyncStatus,
} from '../session';

/** An optional text field: blank means not given. */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? undefined : v))
    .optional();

/** The KVKK access log's filter; the screen turns its days into Istanbul instants, `to` exclusive. */
const KvkkAccessLogFilterSchema = z.strictObject({
  userId: z.uuid().optional(),
  phone: optionalText(40),
  email: optionalText(254),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
});

/**
 * The one contract between the renderer and the client core. Electron IPC and the browser host's
 * WebSocket both carry exactly these methods and events, and both dispatch into the same handler
 * table (src/client/handlers). A feature adds an entry here and a handler there, nothing else.
 */
export const bridgeMethods = {
  'app.info': { input: z.strictObject({}) },
  'reference.get': { input: z.strictObject({}) },
  'sok.create': { input: SokDraftSchema },
  'sok.get': { input: z.strictObject({ id: z.uuid() }) },
  'sok.search': { input: SokSearchSchema },
  'sok.list': { input: SokListSchema },
  'draft.get': { input: z.strictObject({ key: text({ min: 1, max: 40, trim: false }) }) },
  'draft.save': {
    input: z.strictObject({
      key: text({ min: 1, max: 40, trim: false }),
      values: z.record(text({ max: 40, trim: false }), z.unknown()),
    }),
  },
  'draft.clear': { input: z.strictObject({ key: text({ min: 1, max: 40, trim: false }) }) },
  'routing.preview': {
    input: z.strictObject({
      topicCode: text({ max: 64, trim: false }),
      districtCode: text({ max: 64, trim: false }),
      mahalle: text({ max: 120, trim: false }).default(''),
      address: text({ max: 500, trim: false }).default(''),
    }),
  },
  'sok.route': { input: SokRoutePayloadSchema },
  'sok.timeline': { input: z.strictObject({ id: z.uuid() }) },
  /** KVKK: a masked name, phone and e-mail shown on demand; each reveal is logged. */
  'sok.reveal': { input: z.strictObject({ id: z.uuid() }) },
  'sok.callerContext': {
    input: z.strictObject({
      phone: text({ max: 40, trim: false }),
      topicCode: text({ max: 64, trim: false }).optional(),
      mahalle: text({ max: 120, trim: false }).optional(),
    }),
  },
  'sok.addContact': {
    input: z.strictObject({
      sokId: z.uuid(),
      citizenName: text({ min: 2, max: 120 }),
      citizenPhone: text({ max: 40, trim: false }),
      note: text({ max: 1000 }).default(''),
    }),
  },
  'auth.status': { input: z.strictObject({}) },
  'auth.setup': { input: SetupAdminSchema },
  /** First run of an empty embedded API: fill it with the demo month (src/server/demo). */
  'auth.demo': { input: z.strictObject({}) },
  'auth.login': { input: LoginSchema },
  'auth.logout': { input: z.strictObject({ force: z.boolean().default(false) }) },
  'auth.changePassword': { input: PasswordChangeSchema },
  'sync.status': { input: z.strictObject({}) },
  'sync.now': { input: z.strictObject({}) },
  'sync.rejected': { input: z.strictObject({}) },
  'sync.resolve': {
    input: z.strictObject({
      mutationId: z.number().int().positive(),
      action: z.enum(['retry', 'discard']),
    }),
  },
  'admin.users.list': { input: z.strictObject({}) },
  'admin.users.create': { input: AdminUserCreateSchema },
  'admin.users.update': { input: AdminUserUpdateSchema },
  /** Lifts the user's sign-in locks and back-off (the server logs who did it). */
  'admin.users.unlock': { input: z.strictObject({ id: z.uuid() }) },
  'admin.daysOff.list': { input: z.strictObject({}) },
  'admin.daysOff.save': {
    input: z.strictObject({ daysOff: z.array(DayOffSchema).max(1000) }),
  },
  'admin.routing.get': { input: z.strictObject({}) },
  'admin.routing.save': { input: z.strictObject({ rules: z.array(RoutingRuleSchema).max(2000) }) },
  'admin.routing.history': { input: z.strictObject({}) },
  'admin.routing.version': { input: z.strictObject({ version: z.number().int().min(1) }) },
  'admin.routing.rollback': { input: z.strictObject({ version: z.number().int().min(1) }) },
  /** "Where would this go?" under draft rules, by the same function the intake uses. */
  'admin.routing.test': {
    input: z.strictObject({
      rules: z.array(RoutingRuleSchema).max(2000),
      topicCode: z.string().max(64),
      districtCode: z.string().max(64),
      mahalle: z.string().max(120).default(''),
      address: z.string().max(500).default(''),
    }),
  },
  'admin.organisations.list': { input: z.strictObject({}) },
  'admin.organisations.setEmail': {
    input: z.strictObject({
      code: text({ min: 1, max: 64, trim: false }),
      email: z.email('E-posta adresi geçerli değil.').max(254).nullable(),
    }),
  },
  // The mandated callback (src/domain/workflow/): the receiving desk's inbox, the decision,
  // the callback queue and its attempts.
  'workflow.settings': { input: z.strictObject({}) },
  'sok.inbox': { input: InboxQuerySchema },
  'sok.accept': { input: AcceptPayloadSchema },
  'sok.return': { input: ReturnPayloadSchema },
  'sok.decide': { input: DecidePayloadSchema },
  'sok.close': { input: ClosePayloadSchema },
  'sok.reopen': { input: ReopenPayloadSchema },
  /**
   * The callback queue. `shown` (default true): the rows are on a screen with the citizens' names
   * and numbers, so each unmasked one is a KVKK 'list' view (docs/kvkk.md); a background read that
   * shows no contact details (the due-callback notifications) passes false.
   */
  'callback.list': {
    input: CallbackQuerySchema.extend({ shown: z.boolean().default(true) }),
  },
  /** Missed inbound calls the user's organisation still owes a call back (central API). */
  'calls.missed': { input: z.strictObject({}) },
  'calls.settle': {
    input: z.strictObject({
      id: text({ min: 1, max: 100, trim: false }),
      state: z.enum(['done', 'unreachable', 'not-needed']),
      note: text({ max: 1000 }).default(''),
    }),
  },
  'callback.claim': { input: ClaimPayloadSchema },
  'callback.release': { input: ReleasePayloadSchema },
  'callback.attempt': {
    input: AttemptPayloadSchema.extend({
      /** Default: now. Set when logging by hand a call made earlier. */
      at: z.iso.datetime().optional(),
    }),
  },
  'phone.settings.get': { input: z.strictObject({}) },
  'phone.settings.save': { input: PhoneSettingsSaveSchema },
  /** Just-in-time: the SIP password, only for the softphone that is about to register. */
  'phone.credentials': { input: z.strictObject({}) },
  'agent.state.get': { input: z.strictObject({}) },
  /** How many callers wait in the agent's line (the header's badge); from the central API. */
  'line.waiting': { input: z.strictObject({}) },
  'agent.state.set': {
    input: z.strictObject({
      state: z.enum(AGENT_STATES),
      reason: z.enum(BREAK_REASONS).nullable().default(null),
    }),
  },
  'call.record': { input: CallLogPayloadSchema },
  'call.wrapUp': { input: CallWrapUpPayloadSchema.omit({ at: true }) },
  /**
   * The call this desk is on now (null: none), for the supervisors' live agent board; queued for
   * the central API only when it differs from the last one reported.
   */
  'call.current': { input: z.strictObject({ call: CurrentCallSchema.nullable() }) },
  'call.list': {
    input: z.strictObject({
      missedOnly: z.boolean().default(false),
      limit: z.number().int().min(1).max(500).default(100),
    }),
  },
  /**
   * A desktop notification raised by the page (incoming call, callback due or escalated). The
   * client core turns it into the `app.notification` event, which each host shows (Electron: a
   * system notification; both: the in-page notification area); the web Notification API is
   * denied by the shell policy (src/domain/shell-policy.ts). `shown: false`: already raised.
   */
  'app.notify': {
    input: z.strictObject({
      kind: z.enum(NOTIFICATION_KINDS),
      key: text({ min: 1, max: 200, trim: false }),
      title: text({ max: 120, trim: false }),
      body: text({ max: 300, trim: false }),
    }),
  },
  // The desktop shell (issue #21): diagnostics on both hosts, the tray's view of the page.
  /** "Tanı bilgisi": versions, folders, API, sync errors (no citizen data). */
  'app.diagnostics': { input: z.strictObject({}) },
  /** The support bundle to save and send to IT: diagnostics, phone state, the log's tail. */
  'app.supportBundle': { input: z.strictObject({ sip: SipDiagnosticsSchema }) },
  /** The page's state for the tray and the updater (agent state, phone, calls, due callbacks). */
  'app.shellState': { input: ShellStateSchema },
  /** The agent's answer to "restart for the update?" (Electron only). */
  'app.updateAnswer': {
    input: z.strictObject({ answer: z.enum(['install-now', 'later']) }),
  },
  // The supervisor console (docs/supervisor.md): figures from the central API, never offline.
  /** The live agent board: each agent's state and today's calls. */
  'supervisor.agents': { input: z.strictObject({}) },
  'supervisor.queues': { input: z.strictObject({}) },
  'supervisor.queueItems': { input: QueueItemsQuerySchema },
  'supervisor.staff': { input: z.strictObject({ org: text({ min: 1, max: 64, trim: false }) }) },
  'supervisor.assign': { input: AssignPayloadSchema },
  'supervisor.escalate': { input: EscalatePayloadSchema },
  'supervisor.outlook': { input: z.strictObject({}) },
  'supervisor.sla': { input: PeriodQuerySchema },
  'supervisor.volumes': { input: PeriodQuerySchema },
  'supervisor.mail': { input: PeriodQuerySchema },
  /** The call line now: callers waiting (masked), today's figures per line. */
  'supervisor.line': { input: z.strictObject({}) },
  'supervisor.external': { input: PeriodQuerySchema },
  'supervisor.export': { input: ExportQuerySchema },
  'supervisor.monthlyReport': { input: MonthlyReportQuerySchema },
  // The "E-posta" queue (docs/mailbox.md): straight to the central API, never offline.
  'mailbox.list': {
    input: z.strictObject({
      state: z.enum([...MAIL_ITEM_STATES, 'all']).default('new'),
      q: z.string().trim().min(1).max(200).optional(),
    }),
  },
  'mailbox.get': { input: z.strictObject({ id: z.uuid() }) },
  'mailbox.attachment': { input: z.strictObject({ id: z.uuid() }) },
  /** The attachments a ŞÖK carries over from its mail (the ŞÖK detail), online only. */
  'mailbox.sokAttachments': { input: z.strictObject({ sokId: z.uuid() }) },
  'mailbox.setAside': { input: SetAsideBodySchema.extend({ id: z.uuid() }) },
  'mailbox.link': { input: LinkBodySchema.extend({ id: z.uuid() }) },
  /** Reserves the mail for a new ŞÖK id on the API, then registers the ŞÖK as any intake. */
  'mailbox.register': { input: z.strictObject({ id: z.uuid(), draft: SokDraftSchema }) },
  // The KVKK screen (issue #19, docs/kvkk.md): BİKOM's admins only, straight to the central API.
  'kvkk.accessLog': { input: KvkkAccessLogFilterSchema },
  'kvkk.accessLogCsv': { input: KvkkAccessLogFilterSchema },
  'kvkk.requests': { input: z.strictObject({ state: z.enum(['open', 'all']).default('open') }) },
  'kvkk.registerRequest': {
    input: z.strictObject({
      kind: z.enum(SUBJECT_REQUEST_KINDS),
      phone: optionalText(40),
      email: optionalText(254),
      /** When the request reached the municipality; default now. */
      receivedAt: z.iso.datetime().optional(),
      note: text({ max: 2000 }).default(''),
    }),
  },
  'kvkk.requestPdf': { input: z.strictObject({ id: z.uuid() }) },
  'kvkk.answerRequest': {
    input: z.strictObject({ id: z.uuid(), note: text({ min: 1, max: 4000 }) }),
  },
  'kvkk.retention': { input: z.strictObject({}) },
  'kvkk.setRetention': { input: RetentionScheduleSchema },
  /** What is held about a request's subject (its ŞÖKs, to correct one). */
  'kvkk.findings': { input: z.strictObject({ id: z.uuid() }) },
  'kvkk.correct': {
    input: z.strictObject({
      id: z.uuid(),
      sokId: z.uuid(),
      citizenName: optionalText(120),
      citizenPhone: optionalText(40),
      citizenEmail: optionalText(254),
      address: optionalText(500),
    }),
  },
  'kvkk.erase': {
    input: z.strictObject({ id: z.uuid(), reason: text({ max: 2000 }).default('') }),
  },
  'kvkk.texts': { input: z.strictObject({}) },
  'kvkk.publishText': {
    input: z.strictObject({ kind: z.enum(KVKK_TEXT_KINDS), text: text({ min: 20, max: 8000 }) }),
  },
  'kvkk.withdrawConsent': {
    input: z.strictObject({ phone: optionalText(40), email: optionalText(254) }),
  },
} as const satisfies Record<string, { input: z.ZodType }>;

export interface RoutePreview extends RouteSuggestion {
  targetName: string;
}

/** A ŞÖK found for a citizen's request, as the KVKK screen lists it to correct it. */
export interface KvkkFoundSok {
  id: string;
  regNo: string;
  status: string;
  createdAt: string;
  citizenName: string;
  citizenPhone: string;
  citizenEmail: string | null;
  address: string;
  anonymisedAt: string | null;
}

/** What is held about a request's subject (the answer's JSON, cut to what the screen shows). */
export interface KvkkFindings {
  request: SubjectRequestView;
  soks: KvkkFoundSok[];
  calls: number;
  messages: number;
}

/** A ŞÖK's contact details revealed on demand (KVKK). */
export interface RevealedContact {
  id: string;
  citizenName: string;
  citizenPhone: string;
  citizenEmail: string;
}

/** What the app knows about a caller's number while they are on the line. */
export interface CallerContext {
  /** The number as an agent reads it, or null when it is not a valid number yet. */
  phone: string | null;
  /** Their earlier ŞÖKs, newest first. */
  soks: Sok[];
  /** Open ŞÖKs on the same topic and mahalle lately: offer to add this call to one of them. */
  duplicates: Sok[];
}

/** A missed inbound call on its organisation's queue. */
export interface MissedCall {
  id: string;
  number: string;
  agentId: string;
  startedAt: string;
  outcome: string;
  /** A caller who left the call line unanswered: how many seconds they waited; else null. */
  waitSeconds: number | null;
}

export interface AppInfo {
  version: string;
  host: 'electron' | 'browser';
  dataDir: string;
}

/** What each method resolves to. Must name exactly the methods above (checked below). */
export interface BridgeOutputs {
  'app.info': AppInfo;
  'reference.get': ReferenceSnapshot;
  'sok.create': Sok;
  'sok.get': Sok;
  'sok.search': SokSearchResult;
  'sok.list': SokListPage;
  'draft.get': { values: Record<string, unknown>; updatedAt: string } | null;
  'draft.save': null;
  'draft.clear': null;
  'routing.preview': RoutePreview | null;
  'sok.route': Sok;
  'sok.timeline': {
    events: SokEvent[];
    /** Delivery state of the SMS / e-mail receipts sent to the citizen. */
    receipts: ReceiptWire[];
    pending: { kind: string; at: string }[];
  };
  'sok.reveal': RevealedContact;
  'sok.callerContext': CallerContext;
  'sok.addContact': null;
  'auth.status': AuthStatus;
  'auth.setup': SessionUser;
  'auth.demo': DemoSummary;
  'auth.login': SessionUser;
  'auth.logout': null;
  'auth.changePassword': null;
  'sync.status': SyncStatus;
  'sync.now': SyncStatus;
  'sync.rejected': RejectedMutation[];
  'sync.resolve': null;
  'admin.users.list': AdminUser[];
  'admin.users.create': AdminUser;
  'admin.users.update': AdminUser;
  'admin.users.unlock': AdminUser;
  'admin.daysOff.list': DayOff[];
  'admin.daysOff.save': DayOff[];
  'admin.routing.get': RoutingRule[];
  'admin.routing.save': { rules: RoutingRule[]; version: number };
  'admin.routing.history': RoutingVersion[];
  'admin.routing.version': RoutingRule[];
  'admin.routing.rollback': { rules: RoutingRule[]; version: number };
  'admin.routing.test': RoutePreview | null;
  'admin.organisations.list': { code: string; name: string; kind: string; email: string | null }[];
  'admin.organisations.setEmail': null;
  'workflow.settings': WorkflowSettingsWire;
  'sok.inbox': SokListPage;
  'sok.accept': Sok;
  'sok.return': Sok;
  'sok.decide': Sok;
  'sok.close': Sok;
  'sok.reopen': Sok;
  'callback.list': SokListPage;
  'calls.missed': MissedCall[];
  'calls.settle': null;
  'callback.claim': Sok;
  'callback.release': Sok;
  'callback.attempt': Sok;
  'phone.settings.get': PhoneSettingsView;
  'phone.settings.save': PhoneSettingsView;
  'phone.credentials': PhoneCredentials;
  'agent.state.get': AgentStateView;
  'line.waiting': LineWaitingResponse;
  'agent.state.set': AgentStateView;
  'call.record': CallLogEntry;
  'call.wrapUp': CallLogEntry;
  'call.current': { queued: boolean };
  'call.list': CallLogEntry[];
  'app.notify': { shown: boolean };
  'app.diagnostics': Diagnostics;
  'app.supportBundle': Download;
  'app.shellState': null;
  'app.updateAnswer': { handled: boolean };
  'supervisor.agents': AgentStateRow[];
  'supervisor.queues': QueuesResponse;
  'supervisor.queueItems': QueueItemsResponse;
  'supervisor.staff': StaffMember[];
  'supervisor.assign': null;
  'supervisor.escalate': null;
  'supervisor.outlook': OutlookResponse;
  'supervisor.sla': SlaResponse;
  'supervisor.volumes': VolumesResponse;
  'supervisor.mail': MailFiguresResponse;
  'supervisor.line': LineLiveResponse;
  'supervisor.external': ExternalFiguresResponse;
  'supervisor.export': Download;
  'supervisor.monthlyReport': Download;
  'mailbox.list': MailItem[];
  'mailbox.get': MailItem;
  'mailbox.attachment': Download;
  'mailbox.sokAttachments': SokAttachment[];
  'mailbox.setAside': null;
  'mailbox.link': { sokId: string; regNo: string };
  'mailbox.register': Sok;
  'kvkk.accessLog': AccessLogEntry[];
  'kvkk.accessLogCsv': Download;
  'kvkk.requests': SubjectRequestView[];
  'kvkk.registerRequest': SubjectRequestView;
  'kvkk.requestPdf': Download;
  'kvkk.answerRequest': SubjectRequestView;
  'kvkk.retention': RetentionSchedule;
  'kvkk.setRetention': RetentionSchedule;
  'kvkk.findings': KvkkFindings;
  'kvkk.correct': { corrected: string };
  'kvkk.erase': EraseOutcomeView;
  'kvkk.texts': KvkkTextView[];
  'kvkk.publishText': KvkkTextView;
  'kvkk.withdrawConsent': { withdrawn: number };
}

export const bridgeEvents = {
  /** A ŞÖK was created or changed locally or by sync; id '*' means many. */
  'sok.changed': z.strictObject({ id: z.string() }),
  'sync.status': SyncStatusSchema,
  /** The server refused a local change: it was rolled back and waits for the user. */
  'sync.rejected': z.strictObject({
    mutationId: z.number(),
    kind: z.string(),
    message: z.string(),
  }),
  /** Signed in or out (also when a session ends on its own). */
  'auth.changed': z.strictObject({ signedIn: z.boolean(), reason: z.string().nullable() }),
  /**
   * Every desktop notification, whoever raised it (the one path, issue #21): the Electron shell
   * shows it as a system notification, the page (both hosts) in its notification area.
   */
  'app.notification': z.strictObject({
    kind: z.enum(NOTIFICATION_KINDS),
    key: z.string(),
    title: z.string(),
    body: z.string(),
    at: z.string(),
  }),
  /** The Electron shell asks the page (tray: change the agent's state; an update is ready). */
  'shell.command': ShellCommandSchema,
} as const satisfies Record<string, z.ZodType>;

export type MethodName = keyof typeof bridgeMethods;
export type EventName = keyof typeof bridgeEvents;
export type MethodInput<M extends MethodName> = z.input<(typeof bridgeMethods)[M]['input']>;
export type ParsedInput<M extends MethodName> = z.output<(typeof bridgeMethods)[M]['input']>;
export type MethodOutput<M extends MethodName> = BridgeOutputs[M];
export type EventPayload<E extends EventName> = z.output<(typeof bridgeEvents)[E]>;

type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const outputsMatchMethods: Exact<keyof BridgeOutputs, MethodName> = true;
void outputsMatchMethods;

export const methodNames = Object.keys(bridgeMethods) as MethodName[];
export const eventNames = Object.keys(bridgeEvents) as EventName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(bridgeMethods, name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(bridgeEvents, name);
}

/** IPC channel names: one per method, so a misspelt channel is a compile error. */
export const ipcChannel = (method: MethodName): `bridge:${MethodName}` => `bridge:${method}`;
export const IPC_EVENT_CHANNEL = 'bridge:event';

/** The object the renderer sees as `window.alo153`, whichever host it runs in. */
export interface BridgeApi {
  methods: { [M in MethodName]: (input: MethodInput<M>) => Promise<Result<MethodOutput<M>>> };
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** A transport carries invocations and events; the API shape on top is built once, here. */
export interface BridgeTransport {
  invoke(method: MethodName, input: unknown): Promise<Result<unknown>>;
  subscribe(listener: (event: EventName, payload: unknown) => void): () => void;
}

export function createBridgeApi(transport: BridgeTransport): BridgeApi {
  const methods = Object.fromEntries(
    methodNames.map((name) => [name, (input: unknown) => transport.invoke(name, input)]),
  ) as unknown as BridgeApi['methods'];
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  let unsubscribe: (() => void) | null = null;
  return {
    methods,
    on(event, listener) {
      if (!isEventName(event)) throw new Error(`unknown bridge event: ${String(event)}`);
      unsubscribe ??= transport.subscribe((name, payload) => {
        const parsed = bridgeEvents[name].safeParse(payload);
        if (!parsed.success) return;
        for (const l of listeners.get(name) ?? []) (l as (p: unknown) => void)(parsed.data);
      });
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (payload: never) => void);
      return () => {
        set.delete(listener as (payload: never) => void);
      };
    },
  };
}
