import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { text } from '../../domain/text-input';
import { istanbulDay, istanbulInstant } from '../../domain/calendar/calendar';
import {
  lineFigures,
  maskCallerNumber,
  NO_ANSWER_REASON,
  NO_ANSWER_REASON_NAME,
  type LineCallerState,
  type LineConfig,
} from '../../domain/call-queue';
import { AGENT_STATE_NAMES, BREAK_REASON_NAMES, type AgentStateKind } from '../../domain/call';
import type { AppDeps } from '../app-deps';
import { authOf, requireRole } from '../auth/context';
import { KEY_MESSAGES, UndeliveredCallSchema } from '../calls/undelivered';
import { ApiError, badRequest, notFound } from '../http/errors';
import { checkApiKey } from '../open311/api-keys';
import { visibilityRule } from '../scope';
import { answered, arrive, callersOnLine, ended, lineOfCall, next, type LineContext } from './line';

/** How soon the SIP front asks again about a waiting caller (milliseconds). */
export const LINE_POLL_MS = 2000;

const sipCallId = UndeliveredCallSchema.shape.sipCallId;
const LineNumber = z.string().regex(/^[0-9]{3,15}$/, 'a line number is 3 to 15 digits');

const ArrivalSchema = z.strictObject({
  line: LineNumber,
  sipCallId,
  number: UndeliveredCallSchema.shape.number,
});
const NextSchema = z.strictObject({
  sipCallId,
  /** The offer that failed, with why; omitted while the caller simply waits (a poll). */
  offerId: z.uuid().optional(),
  result: z.enum(['no-answer', 'unreachable', 'rejected']).optional(),
});
const AnsweredSchema = z.strictObject({ sipCallId, offerId: z.uuid() });
const EndedSchema = z.strictObject({ sipCallId });
const ExtensionSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, 'Geçerli bir SIP kullanıcı adı olmalı.');
const AgentLineSchema = z.strictObject({
  extension: ExtensionSchema,
  skills: z
    .array(text({ min: 1, max: 40 }))
    .max(20)
    .optional(),
});

/**
 * The call line's API (docs/telephony.md).
 *
 * For the SIP front (Kamailio), with its API key in `x-api-key` like POST /calls/undelivered:
 * - POST /line/calls          a call to a line arrived → ring an agent's extension, or wait
 * - POST /line/calls/next     an offer failed (no answer, unreachable), or a waiting caller's poll
 * - POST /line/calls/answered the offered agent answered
 * - POST /line/calls/ended    the caller hung up (waiting: a missed call owed a callback)
 * - GET /line/lines/:number/extensions  the SIP users of the line's agents: the SIP front's
 *                             fallback rings all of them when this API does not answer in time
 *
 * For people (bearer token):
 * - PUT /line/agents/:userId  (admin, or a supervisor of the agent's organisation) the agent's
 *                             SIP extension and skills
 * - PUT /line/me              (the agent's desk) the extension its phone registered
 * - GET /line/me              the agent's state as the line left it, and how many wait
 * - GET /line/live            (supervisors) callers waiting now, masked, and today's figures
 */
export function registerLineRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { db, clock, config } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const lines = new Map(config.lines.map((l) => [l.number, l]));
  const lineOf = (number: string): LineConfig => {
    const line = lines.get(number);
    if (line === undefined) throw notFound(`No call line ${number} is configured.`);
    return line;
  };
  const sipFront = async (request: FastifyRequest): Promise<LineContext> => {
    const header = request.headers['x-api-key'];
    const check = await checkApiKey(db, typeof header === 'string' ? header : undefined);
    if (!check.ok) throw new ApiError(401, 'token-invalid', KEY_MESSAGES[check.reason]);
    return {
      db,
      front: { userId: check.auth.user.id, clientId: check.auth.clientId },
      now: clock().toISOString(),
      pollMs: LINE_POLL_MS,
    };
  };
  const lineOfKnownCall = async (id: string): Promise<LineConfig> => {
    const number = await lineOfCall(db, id);
    if (number === null) throw notFound('No such call on any line.');
    return lineOf(number);
  };
  const open = { config: { public: true } } as const;

  r.post('/line/calls', { ...open, schema: { body: ArrivalSchema } }, async (request, reply) => {
    const ctx = await sipFront(request);
    const { created, ...decision } = await arrive(ctx, lineOf(request.body.line), request.body);
    return reply.status(created ? 201 : 200).send(decision);
  });

  r.post('/line/calls/next', { ...open, schema: { body: NextSchema } }, async (request) => {
    const ctx = await sipFront(request);
    const { offerId, result } = request.body;
    if ((offerId === undefined) !== (result === undefined)) {
      throw badRequest('offerId and result go together.', {
        [offerId === undefined ? 'offerId' : 'result']: 'Required with the other.',
      });
    }
    const line = await lineOfKnownCall(request.body.sipCallId);
    const failed = offerId !== undefined && result !== undefined ? { offerId, result } : null;
    const decision = await next(ctx, line, request.body.sipCallId, failed);
    if (decision === null) throw notFound('No such call on any line.');
    return decision;
  });

  r.post('/line/calls/answered', { ...open, schema: { body: AnsweredSchema } }, async (request) => {
    const ctx = await sipFront(request);
    const line = await lineOfKnownCall(request.body.sipCallId);
    const result = await answered(ctx, line, request.body.sipCallId, request.body.offerId);
    if (result === null) throw notFound('No such call on any line.');
    if (result === 'unknown-offer') {
      throw new ApiError(409, 'conflict', 'This offer is not the call’s current one.');
    }
    return { state: 'answered' };
  });

  r.post('/line/calls/ended', { ...open, schema: { body: EndedSchema } }, async (request) => {
    const ctx = await sipFront(request);
    const line = await lineOfKnownCall(request.body.sipCallId);
    const result = await ended(ctx, line, request.body.sipCallId);
    if (result === null) throw notFound('No such call on any line.');
    return result;
  });

  r.get(
    '/line/lines/:number/extensions',
    { ...open, schema: { params: z.strictObject({ number: LineNumber }) } },
    async (request) => {
      await sipFront(request);
      const line = lineOf(request.params.number);
      const rows = await db
        .selectFrom('line_agent as a')
        .innerJoin('app_user as u', 'u.id', 'a.user_id')
        .select(['a.extension', 'a.skills'])
        .where('u.org_code', '=', line.orgCode)
        .where('u.active', '=', 1)
        .orderBy('a.extension')
        .execute();
      const extensions = rows
        .filter((x) => line.skills.every((s) => (JSON.parse(x.skills) as string[]).includes(s)))
        .map((x) => x.extension);
      return { line: line.number, extensions };
    },
  );

  const saveAgentLine = async (
    userId: string,
    body: { extension: string; skills?: string[] | undefined },
  ) => {
    const now = clock().toISOString();
    const taken = await db
      .selectFrom('line_agent')
      .select('user_id')
      .where('extension', '=', body.extension)
      .where('user_id', '!=', userId)
      .executeTakeFirst();
    if (taken) {
      throw new ApiError(409, 'conflict', `Extension ${body.extension} belongs to another agent.`, {
        userMessage: `Dahili ${body.extension} başka bir temsilciye ait.`,
      });
    }
    const existing = await db
      .selectFrom('line_agent')
      .select('skills')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    const skills = JSON.stringify(
      body.skills ?? (existing ? (JSON.parse(existing.skills) as string[]) : []),
    );
    await db
      .insertInto('line_agent')
      .values({ user_id: userId, extension: body.extension, skills, updated_at: now })
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet({ extension: body.extension, skills, updated_at: now }),
      )
      .execute();
    return { userId, extension: body.extension, skills: JSON.parse(skills) as string[] };
  };

  r.put(
    '/line/agents/:userId',
    {
      onRequest: requireRole('supervisor', 'admin'),
      schema: {
        params: z.strictObject({ userId: text({ min: 1, max: 100, trim: false }) }),
        body: AgentLineSchema,
      },
    },
    async (request) => {
      const { user } = authOf(request);
      const agent = await db
        .selectFrom('app_user')
        .select(['id', 'org_code'])
        .where('id', '=', request.params.userId)
        .executeTakeFirst();
      const rule = visibilityRule(user);
      if (!agent || (rule.kind === 'organisation' && agent.org_code !== rule.orgCode)) {
        throw notFound('No such user in your organisation.');
      }
      return saveAgentLine(agent.id, request.body);
    },
  );

  r.put(
    '/line/me',
    {
      onRequest: requireRole('agent', 'desk'),
      schema: { body: z.strictObject({ extension: ExtensionSchema }) },
    },
    async (request) => saveAgentLine(authOf(request).user.id, request.body),
  );

  r.get('/line/me', { onRequest: requireRole('agent', 'desk', 'supervisor') }, async (request) => {
    const { user } = authOf(request);
    const state = await db
      .selectFrom('agent_state')
      .select(['state', 'reason', 'since'])
      .where('user_id', '=', user.id)
      .executeTakeFirst();
    const mine = config.lines.filter((l) => l.orgCode === user.orgCode);
    const waiting = await Promise.all(
      mine.map(async (l) => ({
        line: l.number,
        waiting: (await callersOnLine(db, l.number)).filter((c) => c.state === 'waiting').length,
      })),
    );
    const reasonText =
      state?.reason === NO_ANSWER_REASON
        ? NO_ANSWER_REASON_NAME
        : state?.reason != null
          ? (BREAK_REASON_NAMES[state.reason as keyof typeof BREAK_REASON_NAMES] ?? state.reason)
          : null;
    return {
      state: state?.state ?? null,
      stateText: state ? (AGENT_STATE_NAMES[state.state as AgentStateKind] ?? state.state) : null,
      reason: state?.reason ?? null,
      reasonText,
      since: state?.since ?? null,
      lines: waiting,
    };
  });

  r.get(
    '/line/live',
    {
      onRequest: requireRole('supervisor', 'admin'),
      schema: { querystring: z.strictObject({ line: LineNumber.optional() }) },
    },
    async (request) => {
      const rule = visibilityRule(authOf(request).user);
      const visible = config.lines.filter(
        (l) =>
          (rule.kind === 'all' || l.orgCode === rule.orgCode) &&
          (request.query.line === undefined || l.number === request.query.line),
      );
      if (request.query.line !== undefined && visible.length === 0) {
        throw notFound(`No call line ${request.query.line} you may see.`);
      }
      const now = clock();
      const nowIso = now.toISOString();
      const dayStart = istanbulInstant(istanbulDay(now), 0).toISOString();
      const result = await Promise.all(
        visible.map(async (line) => {
          const onLine = await callersOnLine(db, line.number);
          let position = 0;
          const callers = onLine.map((c) => ({
            position: c.state === 'waiting' ? ++position : 0,
            number: maskCallerNumber(c.number),
            state: c.state as LineCallerState,
            arrivedAt: c.arrived_at,
            waitSeconds: Math.max(0, Math.round((now.getTime() - Date.parse(c.arrived_at)) / 1000)),
          }));
          const today = await db
            .selectFrom('line_caller')
            .select(['arrived_at', 'answered_at', 'ended_at', 'state'])
            .where('line', '=', line.number)
            .where('arrived_at', '>=', dayStart)
            .execute();
          const figures = lineFigures(
            today.map((c) => ({
              arrivedAt: c.arrived_at,
              answeredAt: c.answered_at,
              endedAt: c.ended_at,
              state: c.state as LineCallerState,
            })),
            line,
            nowIso,
          );
          return {
            line: line.number,
            orgCode: line.orgCode,
            serviceLevelSeconds: line.serviceLevelSeconds,
            shortAbandonSeconds: line.shortAbandonSeconds,
            waiting: callers.filter((c) => c.state === 'waiting').length,
            callers,
            today: figures,
          };
        }),
      );
      return { at: nowIso, lines: result };
    },
  );
}
