import type { Kysely } from 'kysely';
import {
  Calendar,
  DEFAULT_CALENDAR,
  type CalendarSettings,
  type DayOff,
} from '../../domain/calendar/calendar';
import type { CallbackPolicy } from '../../domain/workflow';
import type { ReferenceData } from '../../domain/reference';
import type { WorkflowConfig } from '../config';
import type { Database } from '../db/schema';

/** Everything the callback workflow needs besides the ŞÖK itself, built from config + data. */
export interface WorkflowSettings {
  callCentreOrg: string;
  policy: CallbackPolicy;
  /** Office hours; the days off come from the database (admins edit them). */
  officeStart: string;
  officeEnd: string;
  /** Working days per topic code (inherited from the parent topic when unset). */
  topicWorkingDays: ReadonlyMap<string, number>;
  sweepIntervalSeconds: number;
  /** Working days an organisation outside the app has to answer before it is reminded. */
  externalReplyWorkingDays: number;
}

export const DEFAULT_WORKFLOW_CONFIG: WorkflowConfig = {
  callCentreOrg: 'bikom',
  callbackWorkingDays: 2,
  minAttemptIntervalMinutes: 60,
  maxAttempts: 3,
  callingHours: '09:00-20:00',
  callOnWeekends: true,
  callOnHolidays: false,
  claimMinutes: 240,
  officeHours: '08:30-17:30',
  sweepIntervalSeconds: 60,
  externalReplyWorkingDays: 3,
};

export function workflowSettings(
  config: WorkflowConfig,
  reference: Pick<ReferenceData, 'topics'>,
): WorkflowSettings {
  const [callStart, callEnd] = config.callingHours.split('-') as [string, string];
  const [officeStart, officeEnd] = config.officeHours.split('-') as [string, string];
  const byCode = new Map(reference.topics.map((t) => [t.code, t]));
  const topicWorkingDays = new Map<string, number>();
  for (const topic of reference.topics) {
    let t: (typeof reference.topics)[number] | undefined = topic;
    while (t && t.callbackWorkingDays === undefined) {
      t = t.parentCode === null ? undefined : byCode.get(t.parentCode);
    }
    if (t?.callbackWorkingDays !== undefined)
      topicWorkingDays.set(topic.code, t.callbackWorkingDays);
  }
  return {
    callCentreOrg: config.callCentreOrg,
    policy: {
      minAttemptIntervalMinutes: config.minAttemptIntervalMinutes,
      maxAttempts: config.maxAttempts,
      callingHours: {
        start: callStart,
        end: callEnd,
        onWeekends: config.callOnWeekends,
        onHolidays: config.callOnHolidays,
      },
      claimMinutes: config.claimMinutes,
      defaultWorkingDays: config.callbackWorkingDays,
    },
    officeStart,
    officeEnd,
    topicWorkingDays,
    sweepIntervalSeconds: config.sweepIntervalSeconds,
    externalReplyWorkingDays: config.externalReplyWorkingDays,
  };
}

export async function loadDaysOff(db: Kysely<Database>): Promise<DayOff[]> {
  const rows = await db.selectFrom('day_off').selectAll().orderBy('date').execute();
  return rows.map((r) => ({ date: r.date, kind: r.kind, note: r.note }));
}

export function calendarSettings(settings: WorkflowSettings, daysOff: DayOff[]): CalendarSettings {
  return {
    ...DEFAULT_CALENDAR,
    officeStart: settings.officeStart,
    officeEnd: settings.officeEnd,
    daysOff,
  };
}

/**
 * The calendar in force. Days off change rarely (an admin declares an idari izin), so the
 * calendar is cached per database for a short while and dropped at once when this process
 * changes them; another API instance picks a change up within `ttlMs`.
 */
export class CalendarCache {
  private cached: { at: number; calendar: Calendar } | null = null;
  constructor(
    private readonly settings: WorkflowSettings,
    private readonly ttlMs = 30_000,
  ) {}

  async get(db: Kysely<Database>, now = Date.now()): Promise<Calendar> {
    if (this.cached && now - this.cached.at < this.ttlMs) return this.cached.calendar;
    const calendar = new Calendar(calendarSettings(this.settings, await loadDaysOff(db)));
    this.cached = { at: now, calendar };
    return calendar;
  }

  invalidate(): void {
    this.cached = null;
  }
}
