import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely, Selectable } from 'kysely';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { contract } from '../../domain/api';
import { subjectRequestDue } from '../../domain/kvkk';
import { requireSystemAdmin } from '../admin/authority';
import type { AppDeps } from '../app-deps';
import { authOf, requireRole } from '../auth/context';
import type { Database, SubjectRequestTable } from '../db/schema';
import { bumpCounter, withWriteLock } from '../db/write-lock';
import { contractRoute, type ContractRequest } from '../http/contract-route';
import { sendFile } from '../http/send-file';
import { badRequest, conflict, notFound } from '../http/errors';
import { startPeriodicJob } from '../periodic';
import { visibilityFor } from '../scope';
import { CONTENT_TYPES, toCsv } from '../supervisor/export';
import { sokToWire } from '../sync/sok-rows';
import { readAccessLog, recordAccess, recordServerAccess, type AccessLogRow } from './access-log';
import { sendSubjectRequestReminders } from './reminders';
import { readRetention, runRetention, writeRetention } from './retention';
import { publishText, textsInForce, textVersions } from './texts';
import { eraseSubject, findSubject, subjectReportPdf, type Subject } from './subject';

/** The destruction job runs daily (the regulation allows at most six months between runs). */
const RETENTION_INTERVAL_SECONDS = 24 * 3600;
/** Citizens' requests due soon or overdue are looked for hourly (each reminder goes once). */
const REMINDER_INTERVAL_SECONDS = 3600;

/**
 * KVKK (issue #19, docs/kvkk.md). Every ŞÖK desk records its views of citizens' contact details
 * here; the data-protection work — the retention schedule, destruction runs, the access log and
 * the citizens' requests — belongs to the system administrators (BİKOM's admins), who act as
 * the municipality's data-protection contact. Nobody can change or delete the access log.
 */
export function registerKvkkRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { db, clock, config } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const dpo = requireSystemAdmin(config.workflow.callCentreOrg);
  const staff = requireRole('agent', 'desk', 'supervisor', 'admin');

  contractRoute(app, contract.kvkk.recordAccess, { onRequest: staff }, async (request) => {
    const { user, clientId } = authOf(request);
    const stored = await recordAccess(
      db,
      { userId: user.id, orgCode: user.orgCode, clientId },
      request.body.entries,
      clock(),
    );
    return { stored };
  });

  // What a desk needs of the schedule: how long it keeps a closed ŞÖK's contact data.
  contractRoute(app, contract.kvkk.deskRetention, { onRequest: staff }, async () => ({
    deskClosedDays: (await readRetention(db)).deskClosedDays,
  }));

  // One ŞÖK, scoped and masked as the pull sends it: a desk that dropped a closed ŞÖK's contact
  // data (docs/kvkk.md) shows it from here when someone opens it, and does not store it.
  contractRoute(app, contract.kvkk.sok, { onRequest: staff }, async (request) => {
    const { user } = authOf(request);
    const row = await db
      .selectFrom('sok')
      .selectAll()
      .where('id', '=', request.params.id)
      .where(visibilityFor(user))
      .executeTakeFirst();
    if (row === undefined) throw notFound('No such ŞÖK.');
    return { sok: sokToWire(row, user.orgCode) };
  });

  type AccessLogQuery = ContractRequest<typeof contract.kvkk.accessLogCsv>['query'];
  const accessLogRows = (q: AccessLogQuery) =>
    readAccessLog(db, {
      userId: q.userId,
      citizenPhone: q.phone,
      citizenEmail: q.email,
      from: q.from,
      to: q.to,
      limit: q.limit,
    });
  const sendAccessLogCsv = (reply: FastifyReply, rows: AccessLogRow[]) => {
    const csv = toCsv([
      {
        title: 'Kişisel veri erişim kaydı',
        columns: ['Zaman', 'Kullanıcı', 'Ad', 'Kurum', 'Masa', 'Tür', 'Kayıt no', 'Ayrıntı'],
        rows: rows.map((e) => [
          e.at,
          e.username,
          e.displayName,
          e.orgCode,
          e.clientId,
          e.kind,
          e.regNo,
          e.detail,
        ]),
      },
    ]);
    return sendFile(reply, 'erisim-kaydi.csv', CONTENT_TYPES.csv, csv);
  };
  contractRoute(app, contract.kvkk.accessLog, { onRequest: dpo }, async (request, reply) => {
    const rows = await accessLogRows(request.query);
    if (request.query.format === 'json') return { entries: rows };
    return sendAccessLogCsv(reply, rows);
  });
  // The same file under its own path, so the contract declares the download once.
  contractRoute(app, contract.kvkk.accessLogCsv, { onRequest: dpo }, async (request, reply) =>
    sendAccessLogCsv(reply, await accessLogRows(request.query)),
  );

  // The notice and the survey consent: every desk shows the version in force; a system
  // administrator publishes a new one, and every ŞÖK keeps the version that was read to its caller.
  contractRoute(app, contract.kvkk.texts, { onRequest: staff }, async () =>
    textsInForce(db, clock().toISOString()),
  );
  contractRoute(app, contract.kvkk.textVersions, { onRequest: dpo }, async (request) => ({
    versions: await textVersions(db, request.params.kind),
  }));
  contractRoute(app, contract.kvkk.publishText, { onRequest: dpo }, async (request) =>
    publishText(db, request.params.kind, request.body.text, authOf(request).user.id, clock()),
  );

  // A citizen withdraws the survey consent (on a call, by e-mail): every ŞÖK of that person
  // stops counting as consented, and the withdrawal is recorded with its time.
  contractRoute(app, contract.kvkk.withdrawConsent, { onRequest: staff }, async (request) => {
    const { phone, email } = request.body;
    if (phone === undefined && email === undefined) {
      throw badRequest('phone or email is required', { phone: 'Telefon ya da e-posta girin.' });
    }
    const now = clock().toISOString();
    return withWriteLock(db, async (trx) => {
      const rows = await trx
        .selectFrom('sok')
        .select('id')
        .where('sms_consent', '=', 1)
        .where((eb) =>
          eb.or([
            ...(phone !== undefined ? [eb('citizen_phone', '=', phone)] : []),
            ...(email !== undefined ? [eb('citizen_email', '=', email)] : []),
          ]),
        )
        .execute();
      if (rows.length === 0) return { withdrawn: 0 };
      const { first } = await bumpCounter(trx, 'change', rows.length);
      let seq = first;
      for (const row of rows) {
        await trx
          .updateTable('sok')
          .set({ sms_consent: 0, sms_consent_withdrawn_at: now, change_seq: seq++ })
          .where('id', '=', row.id)
          .execute();
      }
      return { withdrawn: rows.length };
    });
  });

  contractRoute(app, contract.kvkk.retention, { onRequest: dpo }, async () => ({
    schedule: await readRetention(db),
  }));
  contractRoute(app, contract.kvkk.setRetention, { onRequest: dpo }, async (request) => {
    await writeRetention(db, request.body, authOf(request).user.id, clock());
    return { schedule: request.body };
  });
  r.post('/kvkk/retention/run', { onRequest: dpo }, async () => ({
    run: await runRetention(db, clock),
  }));
  r.get('/kvkk/destruction-runs', { onRequest: dpo }, async () => {
    const rows = await db
      .selectFrom('destruction_run')
      .selectAll()
      .orderBy('started_at', 'desc')
      .limit(500)
      .execute();
    return {
      runs: rows.map((r) => ({
        id: r.id,
        startedAt: r.started_at,
        finishedAt: r.finished_at,
        trigger: r.trigger,
        startedBy: r.started_by,
        method: r.method,
        rule: JSON.parse(r.rule) as unknown,
        sokCount: r.sok_count,
        callCount: r.call_count,
        notificationCount: r.notification_count,
      })),
    };
  });

  contractRoute(app, contract.kvkk.registerRequest, { onRequest: dpo }, async (request) => {
    const b = request.body;
    if (b.phone === undefined && b.email === undefined) {
      throw badRequest('phone or email is required', { phone: 'Telefon ya da e-posta girin.' });
    }
    const now = clock();
    const received = b.receivedAt === undefined ? now : new Date(b.receivedAt);
    if (received.getTime() > now.getTime()) {
      throw badRequest('receivedAt is in the future', {
        receivedAt: 'Başvuru tarihi ileride olamaz.',
      });
    }
    const id = randomUUID();
    await db
      .insertInto('subject_request')
      .values({
        id,
        kind: b.kind,
        subject_phone: b.phone ?? null,
        subject_email: b.email ?? null,
        note: b.note,
        received_at: received.toISOString(),
        due_at: subjectRequestDue(received).toISOString(),
        registered_by: authOf(request).user.id,
        state: 'open',
        answered_at: null,
        answered_by: null,
        outcome: null,
      })
      .execute();
    return requestView(await loadRequest(id), now);
  });

  contractRoute(app, contract.kvkk.requests, { onRequest: dpo }, async (request) => {
    let q = db.selectFrom('subject_request').selectAll().orderBy('due_at');
    if (request.query.state === 'open') q = q.where('state', '=', 'open');
    const now = clock();
    return { requests: (await q.limit(1000).execute()).map((row) => requestView(row, now)) };
  });

  /** What is held about the request's subject; reading it is itself logged. */
  const findingsFor = async (request: FastifyRequest, id: string, format: 'json' | 'pdf') => {
    const row = await loadRequest(id);
    const findings = await findSubject(db, subjectOf(row));
    const { user, clientId } = authOf(request);
    await recordServerAccess(
      db,
      { userId: user.id, orgCode: user.orgCode, clientId },
      'subject-request',
      findings.soks.length === 0 ? [null] : findings.soks.map((s) => s.id),
      `request ${row.id} ${format}`,
      clock(),
    );
    return { row, findings };
  };
  const sendReportPdf = async (
    reply: FastifyReply,
    { row, findings }: Awaited<ReturnType<typeof findingsFor>>,
  ) => {
    const orgs = await db.selectFrom('organisation').select(['code', 'name']).execute();
    const pdf = await subjectReportPdf(
      findings,
      { kind: row.kind, receivedAt: row.received_at, dueAt: row.due_at },
      new Map(orgs.map((o) => [o.code, o.name])),
      config.supervisor.reportFont,
    );
    return sendFile(
      reply,
      `kvkk-yanit-${row.received_at.slice(0, 10)}.pdf`,
      'application/pdf',
      pdf,
    );
  };
  contractRoute(app, contract.kvkk.requestReport, { onRequest: dpo }, async (request, reply) => {
    const found = await findingsFor(request, request.params.id, request.query.format);
    if (request.query.format === 'json') {
      return { request: requestView(found.row, clock()), findings: found.findings };
    }
    return sendReportPdf(reply, found);
  });
  // The PDF under its own path, so the contract declares the download once.
  contractRoute(app, contract.kvkk.requestReportPdf, { onRequest: dpo }, async (request, reply) =>
    sendReportPdf(reply, await findingsFor(request, request.params.id, 'pdf')),
  );

  contractRoute(app, contract.kvkk.correctRequest, { onRequest: dpo }, async (request) => {
    const row = await openRequest(request.params.id);
    const subject = subjectOf(row);
    const b = request.body;
    const now = clock();
    return withWriteLock(db, async (trx) => {
      const sok = await trx
        .selectFrom('sok')
        .selectAll()
        .where('id', '=', b.sokId)
        .executeTakeFirst();
      const belongs =
        sok !== undefined &&
        ((subject.phone !== null && sok.citizen_phone === subject.phone) ||
          (subject.email !== null && sok.citizen_email === subject.email));
      if (!belongs) throw notFound('No ŞÖK of this person has that id.');
      if (sok.anonymised_at !== null && sok.anonymised_at !== undefined) {
        throw conflict('conflict', 'The ŞÖK was anonymised; nothing is left to correct.');
      }
      const { last: seq } = await bumpCounter(trx, 'change');
      await trx
        .updateTable('sok')
        .set({
          ...(b.citizenName !== undefined ? { citizen_name: b.citizenName } : {}),
          ...(b.citizenPhone !== undefined ? { citizen_phone: b.citizenPhone } : {}),
          ...(b.citizenEmail !== undefined ? { citizen_email: b.citizenEmail } : {}),
          ...(b.address !== undefined ? { address: b.address } : {}),
          updated_at: now.toISOString(),
          change_seq: seq,
        })
        .where('id', '=', b.sokId)
        .execute();
      const fields = Object.keys(b).filter((k) => k !== 'sokId');
      await recordOutcome(trx, row.id, (o) => ({
        ...o,
        corrections: [
          ...(Array.isArray(o.corrections) ? o.corrections : []),
          { regNo: sok.reg_no, fields, at: now.toISOString() },
        ],
      }));
      return { corrected: sok.reg_no };
    });
  });

  contractRoute(app, contract.kvkk.eraseRequest, { onRequest: dpo }, async (request) => {
    const row = await openRequest(request.params.id);
    if (row.kind !== 'erase') throw conflict('conflict', 'Only an erasure request erases.');
    const erased = await eraseSubject(db, subjectOf(row), authOf(request).user.id, row.id, clock());
    const outcome = { ...erased, reason: request.body.reason };
    // Recorded on the request: what was anonymised and why the rest is kept (KVKK 7, 11).
    await recordOutcome(db, row.id, (o) => ({ ...o, erase: outcome }));
    return { outcome };
  });

  contractRoute(app, contract.kvkk.answerRequest, { onRequest: dpo }, async (request) => {
    const row = await openRequest(request.params.id);
    const now = clock();
    await db
      .updateTable('subject_request')
      .set({
        state: 'answered',
        answered_at: now.toISOString(),
        answered_by: authOf(request).user.id,
        outcome: JSON.stringify({ ...parseOutcome(row.outcome), note: request.body.note }),
      })
      .where('id', '=', row.id)
      .where('state', '=', 'open')
      .execute();
    return requestView(await loadRequest(row.id), now);
  });

  // The first run waits a minute after start-up, so a starting instance serves requests first.
  let job: { close(): Promise<void> } | null = null;
  let reminders: { close(): Promise<void> } | null = null;
  const start = setTimeout(() => {
    reminders = startPeriodicJob(REMINDER_INTERVAL_SECONDS, async () => {
      try {
        const result = await sendSubjectRequestReminders({ db, config, now: clock() });
        if (result.failed.length > 0) {
          app.log.warn({ failed: result.failed }, 'KVKK request reminders failed; retrying later');
        }
      } catch (error) {
        app.log.error({ err: error }, 'KVKK request reminders failed');
      }
    });
    job = startPeriodicJob(RETENTION_INTERVAL_SECONDS, async () => {
      try {
        const run = await runRetention(db, clock);
        app.log.info(
          { run: run.id, soks: run.sokCount, calls: run.callCount },
          'KVKK destruction run',
        );
      } catch (error) {
        app.log.error({ err: error }, 'KVKK destruction run failed');
      }
    });
  }, 60_000);
  start.unref();
  app.addHook('onClose', async () => {
    clearTimeout(start);
    await job?.close();
    await reminders?.close();
  });

  async function loadRequest(id: string) {
    const row = await db
      .selectFrom('subject_request')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (row === undefined) throw notFound('No such request.');
    return row;
  }
  async function openRequest(id: string) {
    const row = await loadRequest(id);
    if (row.state !== 'open') throw conflict('conflict', 'The request was already answered.');
    return row;
  }
}

type RequestRow = Selectable<SubjectRequestTable>;

type Outcome = Record<string, unknown>;

function parseOutcome(json: string | null): Outcome {
  if (json === null) return {};
  const value = JSON.parse(json) as unknown;
  return typeof value === 'object' && value !== null ? (value as Outcome) : {};
}

/** Adds to what is recorded on a request (its corrections, its erasure, the answer's note). */
async function recordOutcome(
  db: Kysely<Database>,
  id: string,
  change: (outcome: Outcome) => Outcome,
): Promise<void> {
  const row = await db
    .selectFrom('subject_request')
    .select('outcome')
    .where('id', '=', id)
    .executeTakeFirst();
  await db
    .updateTable('subject_request')
    .set({ outcome: JSON.stringify(change(parseOutcome(row?.outcome ?? null))) })
    .where('id', '=', id)
    .execute();
}

function subjectOf(row: RequestRow): Subject {
  return { phone: row.subject_phone, email: row.subject_email };
}

function requestView(row: RequestRow, now: Date) {
  return {
    id: row.id,
    kind: row.kind,
    phone: row.subject_phone,
    email: row.subject_email,
    note: row.note,
    receivedAt: row.received_at,
    dueAt: row.due_at,
    state: row.state,
    overdue: row.state === 'open' && row.due_at < now.toISOString(),
    answeredAt: row.answered_at,
    outcome: row.outcome === null ? null : (JSON.parse(row.outcome) as unknown),
  };
}
