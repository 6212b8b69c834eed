import type { FastifyInstance } from 'fastify';
import { contract } from '../../domain/api';
import { refusalText, type Action } from '../../domain/workflow';
import { PeriodQuerySchema, type PeriodQuery } from '../../domain/supervisor';
import type { AppDeps } from '../app-deps';
import { authOf, requireRole, type AuthUser } from '../auth/context';
import { withWriteLock } from '../db/write-lock';
import { contractRoute } from '../http/contract-route';
import { sendFile } from '../http/send-file';
import { recordServerAccess } from '../kvkk/access-log';
import { ApiError, badRequest, forbidden, notFound } from '../http/errors';
import { readReferenceFile } from '../reference-seed';
import { canSee, visibilityRule } from '../scope';
import type { ReferenceIndex } from '../sync/mutations';
import type { SokRow } from '../sync/sok-rows';
import { actorOf, perform } from '../workflow/apply';
import { CONTENT_TYPES, toCsv, toXlsx } from './export';
import {
  linePeriodFigures,
  externalFigures,
  mailFigures,
  namesOf,
  queueCounts,
  queueItems,
  slaFigures,
  volumeFigures,
  type FigureContext,
} from './figures';
import { registerLineConsoleRoutes } from './line-routes';
import { buildMonthlyReport, startMonthlyReports } from './monthly';
import { renderMonthlyPdf, reportFontPath } from './pdf';
import { addDays, istanbulDay } from './period';
import { startStatsRefresher } from './stats-refresher';
import { outlookFigures } from './outlook';
import { lineTables } from './line-tables';
import {
  externalTables,
  mailTables,
  queueItemTables,
  queueTables,
  slaTables,
  volumeTables,
  type Table,
} from './tables';
import { t } from '../i18n';

/**
 * The supervisor console's API (docs/supervisor.md). Role `supervisor` only: administrators
 * manage users and settings and take no part in the work (docs/callback.md), and the figures
 * reach into citizens' requests. Every figure is scoped by the one visibility rule
 * (src/server/scope.ts): BİKOM's supervisors see every organisation, a district's or a unit's
 * supervisor only the ŞÖKs their organisation sent or was sent.
 */
export function registerSupervisorRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  reference: ReferenceIndex,
): void {
  const names = namesOf(readReferenceFile(deps.config.referenceFile));
  const supervisorOnly = { onRequest: requireRole('supervisor') };
  const thresholds = () => ({
    goodPercent: deps.config.supervisor.slaGoodPercent,
    warnPercent: deps.config.supervisor.slaWarnPercent,
  });
  const mailTarget = async (now: Date) => ({
    workingDays: deps.config.supervisor.mailTargetWorkingDays,
    calendar: await reference.workflow.calendars.get(deps.db, now.getTime()),
  });
  const externalTarget = async (now: Date) => ({
    replyWorkingDays: reference.workflow.settings.externalReplyWorkingDays,
    calendar: await reference.workflow.calendars.get(deps.db, now.getTime()),
  });
  const ctxOf = (user: AuthUser): FigureContext => ({
    db: deps.db,
    user,
    now: deps.clock(),
    names,
  });
  /** The last 30 days when no period is given. */
  const periodOr = (q: { from?: string | undefined; to?: string | undefined }): PeriodQuery => {
    const to = q.to ?? istanbulDay(deps.clock());
    // An unreadable end is reported by the schema below, not counted back from.
    const readable = /^\d{4}-\d{2}-\d{2}$/.test(to) && !Number.isNaN(Date.parse(to));
    const parsed = PeriodQuerySchema.safeParse({
      from: q.from ?? (readable ? addDays(to, -29) : to),
      to,
    });
    if (!parsed.success) {
      const fields: Record<string, string> = {};
      for (const issue of parsed.error.issues)
        fields[String(issue.path[0] ?? 'from')] ??= issue.message;
      throw badRequest(`Invalid period: ${parsed.error.issues[0]!.message}`, fields);
    }
    return parsed.data;
  };

  /** KVKK: every listed or exported ŞÖK whose contact details were shown unmasked. */
  const logContactsShown = (
    user: AuthUser,
    clientId: string,
    kind: 'list' | 'export',
    items: readonly { id: string; contactMasked: boolean }[],
    detail: string,
  ) =>
    recordServerAccess(
      deps.db,
      { userId: user.id, orgCode: user.orgCode, clientId },
      kind,
      items.filter((i) => !i.contactMasked).map((i) => i.id),
      detail,
      deps.clock(),
    );

  contractRoute(app, contract.supervisor.queues, supervisorOnly, async (request) =>
    queueCounts(ctxOf(authOf(request).user)),
  );

  contractRoute(app, contract.supervisor.outlook, supervisorOnly, async (request) =>
    outlookFigures(ctxOf(authOf(request).user)),
  );

  contractRoute(app, contract.supervisor.queueItems, supervisorOnly, async (request) => {
    const { user, clientId } = authOf(request);
    const page = await queueItems({ ...ctxOf(user), viewerOrg: user.orgCode }, request.query);
    await logContactsShown(user, clientId, 'list', page.items, `queue ${request.query.queue}`);
    return page;
  });

  contractRoute(app, contract.supervisor.staff, supervisorOnly, async (request) => {
    const { user } = authOf(request);
    const { org } = request.query;
    if (visibilityRule(user).kind !== 'all' && org !== user.orgCode) {
      throw forbidden('Supervisors outside the call centre list only their own organisation.');
    }
    const staff = await deps.db
      .selectFrom('app_user')
      .select(['id', 'display_name', 'role'])
      .where('org_code', '=', org)
      .where('active', '=', 1)
      .where('role', 'in', ['agent', 'desk', 'supervisor'])
      .orderBy('display_name')
      .execute();
    return { staff: staff.map((s) => ({ id: s.id, displayName: s.display_name, role: s.role })) };
  });

  /** Runs one supervisor action on a ŞÖK under the write lock; refusals become 4xx. */
  const act = async (
    user: AuthUser,
    sokId: string,
    action: (trx: Parameters<Parameters<typeof withWriteLock>[1]>[0]) => Promise<Action>,
  ) => {
    const result = await withWriteLock(deps.db, async (trx) => {
      const row = (await trx
        .selectFrom('sok')
        .selectAll()
        .where('id', '=', sokId)
        .executeTakeFirst()) as SokRow | undefined;
      if (!row || !canSee(user, row)) throw notFound('No such ŞÖK.');
      return perform(
        {
          trx,
          reference,
          now: deps.clock(),
          actor: actorOf(user),
        },
        row,
        await action(trx),
      );
    });
    if (!result.ok) {
      const status = result.code === 'forbidden' ? 403 : result.code === 'conflict' ? 409 : 400;
      const { message, fields } = refusalText(result);
      throw new ApiError(status, result.code, message, {
        userMessage: message,
        ...(fields ? { fields } : {}),
      });
    }
    await deps.notifier.publish(result.seq);
    return { ok: true as const };
  };

  contractRoute(app, contract.supervisor.assignCallback, supervisorOnly, async (request) => {
    const { user } = authOf(request);
    const { sokId, userId } = request.body;
    const done = await act(user, sokId, async (trx) => {
      const assignee = await trx
        .selectFrom('app_user')
        .select(['id', 'display_name', 'org_code', 'role', 'active'])
        .where('id', '=', userId)
        .executeTakeFirst();
      if (!assignee || assignee.active !== 1 || assignee.role === 'admin') {
        throw badRequest('No such active staff member.', {
          userId: 'Bu kişi bulunamadı veya hesabı kapalı.',
        });
      }
      return {
        type: 'assign',
        assignee: {
          userId: assignee.id,
          displayName: assignee.display_name,
          orgCode: assignee.org_code,
        },
      };
    });
    request.log.info({ by: user.id, sok: sokId, to: userId }, 'callback assigned');
    return done;
  });

  contractRoute(app, contract.supervisor.escalateCallback, supervisorOnly, async (request) => {
    const { user } = authOf(request);
    const { sokId, reason } = request.body;
    const done = await act(user, sokId, () => Promise.resolve({ type: 'escalate-now', reason }));
    request.log.info({ by: user.id, sok: sokId }, 'callback escalated by a supervisor');
    return done;
  });

  contractRoute(app, contract.supervisor.sla, supervisorOnly, async (request) =>
    slaFigures(ctxOf(authOf(request).user), periodOr(request.query), thresholds()),
  );

  contractRoute(app, contract.supervisor.volumes, supervisorOnly, async (request) =>
    volumeFigures(ctxOf(authOf(request).user), periodOr(request.query)),
  );

  contractRoute(app, contract.supervisor.mail, supervisorOnly, async (request) => {
    const ctx = ctxOf(authOf(request).user);
    return mailFigures(ctx, periodOr(request.query), await mailTarget(ctx.now), thresholds());
  });

  registerLineConsoleRoutes(app, deps, ctxOf);
  contractRoute(app, contract.supervisor.external, supervisorOnly, async (request) => {
    const ctx = ctxOf(authOf(request).user);
    return externalFigures(ctx, periodOr(request.query), await externalTarget(ctx.now));
  });

  contractRoute(app, contract.supervisor.export, supervisorOnly, async (request, reply) => {
    const { user } = authOf(request);
    const q = request.query;
    const ctx = ctxOf(user);
    let tables: Table[];
    let name: string;
    switch (q.report) {
      case 'queues':
        tables = queueTables(await queueCounts(ctx));
        name = `kuyruklar-${istanbulDay(ctx.now)}`;
        break;
      case 'queue-items': {
        if (q.queue === undefined || q.org === undefined) {
          throw badRequest('queue and org are required for report=queue-items.', {
            ...(q.queue === undefined ? { queue: 'Kuyruk seçin.' } : {}),
            ...(q.org === undefined ? { org: 'Kurum seçin.' } : {}),
          });
        }
        const page = await queueItems(
          { ...ctx, viewerOrg: user.orgCode },
          { queue: q.queue, org: q.org, limit: 10_000, offset: 0 },
        );
        await logContactsShown(user, authOf(request).clientId, 'export', page.items, q.format);
        tables = queueItemTables(q.queue, names.org(q.org), page, names);
        name = `${q.queue}-${q.org}-${istanbulDay(ctx.now)}`;
        break;
      }
      case 'sla': {
        const period = periodOr(q);
        tables = slaTables(await slaFigures(ctx, period, thresholds()));
        name = `sla-${period.from}-${period.to}`;
        break;
      }
      case 'volumes': {
        const period = periodOr(q);
        tables = volumeTables(await volumeFigures(ctx, period));
        name = `hacim-${period.from}-${period.to}`;
        break;
      }
      case 'mail': {
        const period = periodOr(q);
        tables = mailTables(
          await mailFigures(ctx, period, await mailTarget(ctx.now), thresholds()),
        );
        name = `e-posta-${period.from}-${period.to}`;
        break;
      }
      case 'line': {
        const period = periodOr(q);
        tables = lineTables(
          await linePeriodFigures(
            ctx,
            deps.config.lines,
            period,
            deps.config.supervisor.lineServiceLevelSeconds,
          ),
        );
        name = `hat-${period.from}-${period.to}`;
        break;
      }
      case 'external-orgs': {
        const period = periodOr(q);
        tables = externalTables(await externalFigures(ctx, period, await externalTarget(ctx.now)));
        name = `dis-kurumlar-${period.from}-${period.to}`;
        break;
      }
    }
    const body = q.format === 'csv' ? toCsv(tables) : await toXlsx(tables);
    return sendFile(reply, `alo153-${name}.${q.format}`, CONTENT_TYPES[q.format], body);
  });

  contractRoute(app, contract.supervisor.monthlyReport, supervisorOnly, async (request, reply) => {
    const { user } = authOf(request);
    const report = await buildMonthlyReport(
      ctxOf(user),
      request.query.month,
      thresholds(),
      visibilityRule(user).kind === 'all' ? t('report.allOrganisations') : names.org(user.orgCode),
      deps.config,
    );
    const pdf = await renderMonthlyPdf(report, reportFontPath(deps.config.supervisor.reportFont));
    return sendFile(reply, `alo153-rapor-${request.query.month}.pdf`, CONTENT_TYPES.pdf, pdf);
  });

  const monthly = startMonthlyReports({
    db: deps.db,
    config: deps.config,
    names,
    clock: deps.clock,
    log: (message, error) => app.log.error({ err: error }, message),
  });
  app.addHook('onClose', () => monthly.close());
  const stats = startStatsRefresher({
    db: deps.db,
    clock: deps.clock,
    intervalSeconds: deps.config.supervisor.statsRefreshSeconds,
    log: {
      debug: (details, message) => app.log.debug(details, message),
      error: (details, message) => app.log.error(details, message),
    },
  });
  app.addHook('onClose', () => stats.close());
}
