import { z } from 'zod';
import {
  AGENT_STATES,
  BREAK_REASONS,
  CALL_DIRECTIONS,
  CALL_DISPOSITIONS,
  CALL_OUTCOMES,
  CALL_PHASES,
  type AgentStateRow,
} from '../call';
import { text } from '../text-input';
import { endpoint } from './endpoint';

/** What the phones leave on the central API: agents' states and missed calls to return. */

export const AgentStateRowSchema = z.object({
  userId: z.string(),
  displayName: z.string(),
  orgCode: z.string(),
  state: z.enum(AGENT_STATES),
  reason: z.enum(BREAK_REASONS).nullable(),
  since: z.string(),
  call: z
    .object({
      phase: z.enum(CALL_PHASES),
      direction: z.enum(CALL_DIRECTIONS),
      startedAt: z.string(),
      answeredAt: z.string().nullable(),
      regNo: z.string().nullable(),
    })
    .nullable(),
  today: z.object({
    answered: z.number(),
    missed: z.number(),
    avgHandleSeconds: z.number().nullable(),
    avgWrapUpSeconds: z.number().nullable(),
  }),
}) satisfies z.ZodType<AgentStateRow>;

export const MissedCallSchema = z.object({
  id: z.string(),
  sipCallId: z.string(),
  direction: z.enum(CALL_DIRECTIONS),
  number: z.string(),
  agentId: z.string(),
  orgCode: z.string(),
  startedAt: z.string(),
  answeredAt: z.string().nullable(),
  endedAt: z.string(),
  durationSeconds: z.number(),
  outcome: z.enum(CALL_OUTCOMES),
  endReason: z.string(),
  disposition: z.enum(CALL_DISPOSITIONS).nullable(),
  sokId: z.string().nullable(),
  note: z.string(),
  wrappedUpAt: z.string().nullable(),
  callbackState: z.string(),
  /** A caller who left the call line unanswered: seconds they waited there; otherwise null. */
  waitSeconds: z.number().int().nullable().default(null),
});
export type MissedCall = z.infer<typeof MissedCallSchema>;

export const calls = {
  agentStates: endpoint('GET', '/agents/states', {
    response: z.object({ agents: z.array(AgentStateRowSchema) }),
  }),
  missed: endpoint('GET', '/calls/missed', {
    query: z.strictObject({
      since: z.iso.datetime().optional(),
      /** 'owed': still to return (the queue); 'all': settled ones too. */
      state: z.enum(['owed', 'all']).default('all'),
      limit: z.coerce.number().int().min(1).max(1000).default(200),
    }),
    response: z.object({ calls: z.array(MissedCallSchema) }),
  }),
  settle: endpoint('POST', '/calls/:id/settle', {
    params: z.strictObject({ id: text({ min: 1, max: 100, trim: false }) }),
    body: z.strictObject({
      state: z.enum(['done', 'unreachable', 'not-needed']),
      note: text({ max: 1000 }).default(''),
    }),
    response: z.object({ id: z.string(), callbackState: z.string().nullable() }),
  }),
};
