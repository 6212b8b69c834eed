import {
  CurrentCallSchema,
  PhoneSettingsSchema,
  talkSeconds,
  type AgentStatePayload,
  type AgentStateView,
  type CallLogEntry,
  type CallLogPayload,
  type CallWrapUpPayload,
  type CurrentCall,
  type PhoneSettings,
} from '../../domain/call';
import type { Db } from './database';

interface CallRow {
  id: string;
  user_id: string;
  sip_call_id: string;
  direction: CallLogEntry['direction'];
  number: string;
  started_at: string;
  answered_at: string | null;
  ended_at: string;
  outcome: CallLogEntry['outcome'];
  end_reason: string;
  disposition: CallLogEntry['disposition'];
  sok_id: string | null;
  note: string;
  wrapped_up_at: string | null;
  pending: number;
}

const toEntry = (r: CallRow): CallLogEntry => ({
  id: r.id,
  sipCallId: r.sip_call_id,
  direction: r.direction,
  number: r.number,
  agentId: r.user_id,
  startedAt: r.started_at,
  answeredAt: r.answered_at,
  endedAt: r.ended_at,
  durationSeconds: talkSeconds(r.answered_at, r.ended_at),
  outcome: r.outcome,
  endReason: r.end_reason,
  disposition: r.disposition,
  sokId: r.sok_id,
  note: r.note,
  wrappedUpAt: r.wrapped_up_at,
  pending: r.pending > 0,
});

// A call is "pending" while any of its mutations waits in the outbox.
const SELECT = `SELECT c.*, (SELECT count(*) FROM outbox o WHERE o.entity_id = c.id
  AND o.state = 'pending') AS pending FROM call_log c`;

/**
 * Local phone data: settings per user, the call log, the agent's state changes and the call last
 * reported as the one in progress.
 */
export function createCallRepo(db: Db) {
  const getSettings = db.prepare('SELECT settings FROM phone_settings WHERE user_id = ?').pluck();
  const putSettings = db.prepare(
    `INSERT INTO phone_settings (user_id, settings, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(user_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
  );
  const insertCall = db.prepare(
    `INSERT INTO call_log (id, user_id, sip_call_id, direction, number, started_at, answered_at,
       ended_at, outcome, end_reason)
     VALUES (@id, @userId, @sipCallId, @direction, @number, @startedAt, @answeredAt, @endedAt,
       @outcome, @endReason)`,
  );
  const wrapUp = db.prepare(
    `UPDATE call_log SET disposition = @disposition, sok_id = @sokId, note = @note,
       wrapped_up_at = @at WHERE id = @callId`,
  );
  const byId = db.prepare(`${SELECT} WHERE c.id = ?`);
  const list = db.prepare(
    `${SELECT} WHERE c.user_id = @userId
       AND (@missed = 0 OR (c.direction = 'inbound' AND c.outcome IN ('missed', 'rejected')))
     ORDER BY c.started_at DESC LIMIT @limit`,
  );
  const insertState = db.prepare(
    'INSERT INTO agent_state_log (id, user_id, state, reason, at) VALUES (?, ?, ?, ?, ?)',
  );
  const lastState = db.prepare(
    'SELECT state, reason, at FROM agent_state_log WHERE user_id = ? ORDER BY at DESC, rowid DESC LIMIT 1',
  );

  const allSettings = db.prepare('SELECT settings FROM phone_settings').pluck();
  // The call last reported for the live board, per user: one small value, kept in meta.
  const reportedKey = (userId: string) => `phone.reportedCall.${userId}`;
  const getMeta = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
  const putMeta = db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );

  return {
    /** Every SIP server configured on this PC (the page's CSP allows exactly these). */
    servers(): string[] {
      const servers = (allSettings.all() as string[]).flatMap((raw) => {
        const parsed = PhoneSettingsSchema.safeParse(JSON.parse(raw));
        return parsed.success ? [parsed.data.server] : [];
      });
      return [...new Set(servers)];
    },
    settings(userId: string): PhoneSettings | null {
      const raw = getSettings.get(userId) as string | undefined;
      if (raw === undefined) return null;
      // Stored by this app; parse again so a field added later gets its default.
      const parsed = PhoneSettingsSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : null;
    },
    saveSettings(userId: string, settings: PhoneSettings, at: Date): void {
      putSettings.run(userId, JSON.stringify(settings), at.toISOString());
    },
    insertCall(userId: string, call: CallLogPayload): void {
      insertCall.run({ ...call, userId });
    },
    wrapUp(p: CallWrapUpPayload): void {
      wrapUp.run(p);
    },
    call(id: string): CallLogEntry | null {
      const row = byId.get(id) as CallRow | undefined;
      return row ? toEntry(row) : null;
    },
    list(userId: string, options: { missedOnly: boolean; limit: number }): CallLogEntry[] {
      return (
        list.all({ userId, missed: options.missedOnly ? 1 : 0, limit: options.limit }) as CallRow[]
      ).map(toEntry);
    },
    recordState(userId: string, p: AgentStatePayload): void {
      insertState.run(p.id, userId, p.state, p.reason, p.at);
    },
    /** The call last reported to the central API as this user's current call (null: none). */
    reportedCall(userId: string): CurrentCall | null {
      const raw = getMeta.get(reportedKey(userId)) as string | undefined;
      if (raw === undefined) return null;
      const parsed = CurrentCallSchema.nullable().safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : null;
    },
    setReportedCall(userId: string, call: CurrentCall | null): void {
      putMeta.run(reportedKey(userId), JSON.stringify(call));
    },
    currentState(userId: string): AgentStateView | null {
      const row = lastState.get(userId) as
        | { state: AgentStateView['state']; reason: AgentStateView['reason']; at: string }
        | undefined;
      return row ? { state: row.state, reason: row.reason, since: row.at } : null;
    },
  };
}
export type CallRepo = ReturnType<typeof createCallRepo>;
