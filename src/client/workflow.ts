import { Calendar } from '../domain/calendar/calendar';
import { AppError } from '../domain/errors';
import { t } from '../domain/i18n/tr';
import {
  DEFAULT_CALLBACK_POLICY,
  refusalText,
  transition,
  type Action,
  type Actor,
  type MachineContext,
  type WorkflowState,
} from '../domain/workflow';
import type { Sok } from '../domain/sok';
import { WorkflowSettingsWireSchema, type WorkflowSettingsWire } from '../domain/workflow-settings';
import type { SessionStore } from './api/http';
import type { Db } from './store/database';
import type { SokRepo } from './store/sok-repo';

/** Until the first sync brings the server's: the same defaults the server ships with. */
export const DEFAULT_WORKFLOW_SETTINGS: WorkflowSettingsWire = {
  callCentreOrg: 'bikom',
  calendar: { officeStart: '08:30', officeEnd: '17:30', halfDayEnd: '13:00', daysOff: [] },
  policy: DEFAULT_CALLBACK_POLICY,
  topicWorkingDays: {},
};

export function workflowStateOfSok(sok: Sok): WorkflowState {
  return {
    status: sok.status,
    originOrg: sok.originOrg,
    targetOrg: sok.targetOrg,
    routeRuleId: sok.routeRuleId,
    routeReason: sok.routeReason,
    acceptedBy: sok.acceptedBy,
    acceptedAt: sok.acceptedAt,
    decision: sok.decision,
    callback: sok.callback,
  };
}

/**
 * The callback workflow on a desk: the server's settings (cached for offline use) and the same
 * state machine the server runs, applied optimistically so the desk sees its change at once and
 * is refused at once what the server would refuse anyway.
 */
export function createWorkflow(deps: {
  db: Db;
  soks: SokRepo;
  sessions: SessionStore;
  orgName: (code: string) => string;
  orgExists: (code: string) => boolean;
  isExternalOrg: (code: string) => boolean;
}) {
  const get = deps.db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
  const set = deps.db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  let cached: { settings: WorkflowSettingsWire; calendar: Calendar } | null = null;

  const current = () => {
    if (cached) return cached;
    const raw = get.get('workflow.settings') as string | undefined;
    const parsed = raw ? WorkflowSettingsWireSchema.safeParse(JSON.parse(raw)) : null;
    const settings = parsed?.success ? parsed.data : DEFAULT_WORKFLOW_SETTINGS;
    cached = { settings, calendar: new Calendar(settings.calendar) };
    return cached;
  };

  /** The signed-in user as the actor of a command. */
  const actor = (): Actor => {
    const session = deps.sessions.load();
    if (!session) throw new AppError('unauthenticated', t('error.signedOut'));
    const u = session.user;
    return {
      userId: u.id,
      displayName: u.displayName,
      orgCode: u.orgCode,
      orgKind: u.orgKind,
      role: u.role,
    };
  };

  const context = (sok: Sok, now: Date): MachineContext => {
    const { settings, calendar } = current();
    return {
      actor: actor(),
      now,
      callCentreOrg: settings.callCentreOrg,
      calendar,
      policy: settings.policy,
      topicWorkingDays: topicDays(settings, sok.topicCode),
      orgName: deps.orgName,
      orgExists: deps.orgExists,
      isExternalOrg: deps.isExternalOrg,
    };
  };

  return {
    actor,
    settings: () => current().settings,
    calendar: () => current().calendar,
    etag: () => (get.get('workflow.etag') as string | undefined) ?? null,
    /** Stores the server's settings; call inside a transaction. */
    replace(settings: WorkflowSettingsWire, etag: string | null): void {
      set.run('workflow.settings', JSON.stringify(settings));
      if (etag !== null) set.run('workflow.etag', etag);
      cached = null;
    },
    /**
     * Runs `action` on the stored ŞÖK and stores the result; throws the machine's refusal as an
     * AppError the user reads. Call inside the transaction that also writes the outbox entry.
     */
    apply(sokId: string, action: Action, now: Date): Sok {
      const sok = deps.soks.get(sokId);
      if (!sok) throw new AppError('not-found', t('error.sokNotFound'));
      const result = transition(workflowStateOfSok(sok), action, context(sok, now));
      if (!result.ok) {
        const { code, message, fields } = refusalText(result);
        throw new AppError(code, message, fields);
      }
      deps.soks.setWorkflow(sokId, result.state, now);
      return deps.soks.get(sokId) as Sok;
    },
    /** Re-applies an unsent action after a pull replaced the ŞÖK; a refusal is left to the server. */
    reapply(sokId: string, action: Action, now: Date): void {
      const sok = deps.soks.get(sokId);
      if (!sok || !deps.sessions.load()) return;
      const result = transition(workflowStateOfSok(sok), action, context(sok, now));
      if (result.ok) deps.soks.setWorkflow(sokId, result.state, now);
    },
  };
}
export type Workflow = ReturnType<typeof createWorkflow>;

function topicDays(settings: WorkflowSettingsWire, topicCode: string): number | null {
  return settings.topicWorkingDays[topicCode] ?? null;
}
