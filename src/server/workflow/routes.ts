import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { text } from '../../domain/text-input';
import { DayOffSchema } from '../../domain/calendar/calendar';
import {
  WorkflowSettingsWireSchema,
  type WorkflowSettingsWire,
} from '../../domain/workflow-settings';
import type { AppDeps } from '../app-deps';
import { requireSystemAdmin } from '../admin/authority';
import { authOf } from '../auth/context';
import { withWriteLock } from '../db/write-lock';
import { badRequest, notFound } from '../http/errors';
import { releaseAwaitingMail } from '../notifications/enqueue';
import type { ReferenceIndex } from '../sync/mutations';
import { calendarSettings, loadDaysOff } from './settings';

const DaysOffBody = z.strictObject({ daysOff: z.array(DayOffSchema).max(1000) });
const OrgParams = z.strictObject({ code: text({ min: 1, max: 64, trim: false }) });
const OrgBody = z.strictObject({ email: z.email().max(254).nullable() });

/**
 * The callback workflow's settings for desks (calendar with the days off, the callback policy,
 * per-topic deadlines): read by every signed-in client, cached offline, so countdowns and the
 * "may I call now?" check work without the network. Admins edit the extra days off (idari izin)
 * and organisations' mailboxes (where the other side's e-mails go).
 */
export function registerWorkflowRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  reference: ReferenceIndex,
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { settings, calendars } = reference.workflow;
  // The calendar and the organisations' mailboxes are the city's: system administrators only.
  const systemAdmin = requireSystemAdmin(deps.config.workflow.callCentreOrg);

  r.get('/workflow/settings', async (request, reply) => {
    authOf(request);
    const body: WorkflowSettingsWire = WorkflowSettingsWireSchema.parse({
      callCentreOrg: settings.callCentreOrg,
      calendar: calendarSettings(settings, await loadDaysOff(deps.db)),
      policy: settings.policy,
      topicWorkingDays: Object.fromEntries(settings.topicWorkingDays),
    });
    const etag = `"${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 27)}"`;
    void reply.header('etag', etag);
    if (request.headers['if-none-match'] === etag) return reply.status(304).send();
    return body;
  });

  r.put(
    '/admin/days-off',
    { onRequest: systemAdmin, schema: { body: DaysOffBody } },
    async (request) => {
      const auth = authOf(request);
      const dates = request.body.daysOff.map((d) => d.date);
      const duplicate = dates.find((d, i) => dates.indexOf(d) !== i);
      if (duplicate !== undefined) {
        throw badRequest(`Day ${duplicate} is listed twice.`, {
          daysOff: `${duplicate} iki kez yazılmış.`,
        });
      }
      const nowIso = deps.clock().toISOString();
      await withWriteLock(deps.db, async (trx) => {
        await trx.deleteFrom('day_off').execute();
        if (request.body.daysOff.length > 0) {
          await trx
            .insertInto('day_off')
            .values(
              request.body.daysOff.map((d) => ({
                date: d.date,
                kind: d.kind,
                note: d.note,
                updated_by: auth.user.id,
                updated_at: nowIso,
              })),
            )
            .execute();
        }
      });
      calendars.invalidate();
      request.log.info({ by: auth.user.id, count: dates.length }, 'days off replaced');
      // Deadlines already set stay as they were promised; new ones use the new calendar.
      return { daysOff: await loadDaysOff(deps.db) };
    },
  );

  r.get('/admin/organisations', { onRequest: systemAdmin }, async () => {
    const rows = await deps.db
      .selectFrom('organisation')
      .select(['code', 'name', 'kind', 'email'])
      .orderBy('name')
      .execute();
    return { organisations: rows };
  });

  r.put(
    '/admin/organisations/:code',
    { onRequest: systemAdmin, schema: { params: OrgParams, body: OrgBody } },
    async (request) => {
      const auth = authOf(request);
      const now = deps.clock();
      const { code } = request.params;
      // The administrators' own: no seed or restart overwrites it (reference-seed.ts).
      const released = await withWriteLock(deps.db, async (trx) => {
        const updated = await trx
          .updateTable('organisation')
          .set({ email: request.body.email })
          .where('code', '=', code)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 0) throw notFound('No such organisation.');
        return releaseAwaitingMail(trx, code, request.body.email, now);
      });
      if (released.length > 0) await deps.notifier.publish(Math.max(...released));
      request.log.info(
        { by: auth.user.id, org: code, released: released.length },
        'organisation mailbox set',
      );
      return { code: request.params.code, email: request.body.email };
    },
  );
}
