import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import PDFDocument from 'pdfkit';
import type { Database } from '../db/schema';
import type { ServerDb } from '../db/open';
import { withWriteLock } from '../db/write-lock';
import { reportFontPath } from '../supervisor/pdf';
import { anonymiseSoks } from './retention';

/** Who a citizen's request is about: a phone (E.164) and/or an e-mail (lower case). */
export interface Subject {
  phone: string | null;
  email: string | null;
}

export interface SubjectSok {
  id: string;
  regNo: string;
  createdAt: string;
  status: string;
  topicCode: string;
  districtCode: string;
  originOrg: string;
  targetOrg: string | null;
  citizenName: string;
  citizenPhone: string;
  citizenEmail: string | null;
  address: string;
  latitude: number | null;
  longitude: number | null;
  kvkkNoticeAt: string | null;
  smsConsent: boolean | null;
  anonymisedAt: string | null;
}

export interface SubjectFindings {
  subject: Subject;
  soks: SubjectSok[];
  calls: {
    id: string;
    orgCode: string;
    direction: string;
    startedAt: string;
    sokId: string | null;
  }[];
  messages: { id: string; sokId: string; channel: string; purpose: string; createdAt: string }[];
}

/** Everything held about a person across all organisations (KVKK art. 11(1)(a)-(b)). */
export async function findSubject(
  db: Kysely<Database>,
  subject: Subject,
): Promise<SubjectFindings> {
  const soks = await db
    .selectFrom('sok')
    .selectAll()
    .where((eb) =>
      eb.or([
        ...(subject.phone !== null ? [eb('citizen_phone', '=', subject.phone)] : []),
        ...(subject.email !== null ? [eb('citizen_email', '=', subject.email)] : []),
      ]),
    )
    .where('deleted', '=', 0)
    .orderBy('created_at')
    .execute();
  const calls =
    subject.phone === null
      ? []
      : await db
          .selectFrom('call_log')
          .select(['id', 'org_code', 'direction', 'started_at', 'sok_id'])
          .where('number', '=', subject.phone)
          .orderBy('started_at')
          .execute();
  const recipients = [subject.phone, subject.email].filter((x): x is string => x !== null);
  const messages = await db
    .selectFrom('notification')
    .select(['id', 'sok_id', 'channel', 'purpose', 'created_at'])
    .where('recipient', 'in', recipients)
    .orderBy('created_at')
    .execute();
  return {
    subject,
    soks: soks.map((s) => ({
      id: s.id,
      regNo: s.reg_no,
      createdAt: s.created_at,
      status: s.status,
      topicCode: s.topic_code,
      districtCode: s.district_code,
      originOrg: s.origin_org,
      targetOrg: s.target_org,
      citizenName: s.citizen_name,
      citizenPhone: s.citizen_phone,
      citizenEmail: s.citizen_email ?? null,
      address: s.address,
      latitude: s.latitude ?? null,
      longitude: s.longitude ?? null,
      kvkkNoticeAt: s.kvkk_notice_at ?? null,
      smsConsent:
        s.sms_consent === null || s.sms_consent === undefined ? null : s.sms_consent === 1,
      anonymisedAt: s.anonymised_at ?? null,
    })),
    calls: calls.map((c) => ({
      id: c.id,
      orgCode: c.org_code,
      direction: c.direction,
      startedAt: c.started_at,
      sokId: c.sok_id,
    })),
    messages: messages.map((m) => ({
      id: m.id,
      sokId: m.sok_id,
      channel: m.channel,
      purpose: m.purpose,
      createdAt: m.created_at,
    })),
  };
}

export interface EraseOutcome {
  anonymised: string[];
  /** ŞÖKs whose data is still needed, each with the legal reason it is kept. */
  kept: { regNo: string; reason: string }[];
  runId: string;
}

/** Why an open ŞÖK's contact data is kept on an erasure request. */
export const KEEP_OPEN_REASON =
  'Başvuru sonuçlanmadı: vatandaşa dönüş yapılması için iletişim bilgileri gereklidir (KVKK m.5/2-c ve 3071 sayılı Kanun).';

/**
 * Erasure (KVKK art. 7 and 11(1)(e)): anonymises every closed ŞÖK of the person; open ones keep
 * their contact data, each with the reason, because the municipality owes the citizen an answer.
 * Recorded as a destruction run like the periodic one.
 */
export async function eraseSubject(
  db: ServerDb,
  subject: Subject,
  userId: string,
  requestId: string,
  now: Date,
): Promise<EraseOutcome> {
  const found = await findSubject(db, subject);
  const closed = found.soks.filter((s) => s.status === 'closed' && s.anonymisedAt === null);
  const kept = found.soks
    .filter((s) => s.status !== 'closed')
    .map((s) => ({ regNo: s.regNo, reason: KEEP_OPEN_REASON }));
  const runId = randomUUID();
  await withWriteLock(db, async (trx) => {
    const counts = await anonymiseSoks(
      trx,
      closed.map((s) => s.id),
      now,
    );
    let callCount = counts.callCount;
    if (subject.phone !== null) {
      // Calls from the number that belong to no open ŞÖK.
      const openIds = found.soks.filter((s) => s.status !== 'closed').map((s) => s.id);
      let q = trx
        .updateTable('call_log')
        .set({ number: '', anonymised_at: now.toISOString() })
        .where('number', '=', subject.phone)
        .where('anonymised_at', 'is', null)
        .where((eb) =>
          eb.or([eb('callback_state', 'is', null), eb('callback_state', '!=', 'owed')]),
        );
      if (openIds.length > 0) {
        q = q.where((eb) => eb.or([eb('sok_id', 'is', null), eb('sok_id', 'not in', openIds)]));
      }
      callCount += Number((await q.executeTakeFirst()).numUpdatedRows);
    }
    await trx
      .insertInto('destruction_run')
      .values({
        id: runId,
        started_at: now.toISOString(),
        finished_at: now.toISOString(),
        trigger: 'subject-request',
        started_by: userId,
        rule: JSON.stringify({ requestId }),
        sok_count: counts.sokCount,
        call_count: callCount,
        notification_count: counts.notificationCount,
      })
      .execute();
  });
  return { anonymised: closed.map((s) => s.regNo), kept, runId };
}

const KIND_NAMES: Record<string, string> = {
  access: 'Bilgi talebi (KVKK m.11)',
  correct: 'Düzeltme talebi (KVKK m.11/1-d)',
  erase: 'Silme / anonimleştirme talebi (KVKK m.11/1-e)',
};

/** The answer to a citizen as a PDF: what is held about them, where, and since when. */
export function subjectReportPdf(
  findings: SubjectFindings,
  request: { kind: string; receivedAt: string; dueAt: string },
  orgNames: ReadonlyMap<string, string>,
  fontPath?: string,
): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: { Title: 'KVKK bilgi talebi yanıtı' },
  });
  const font = reportFontPath(fontPath);
  doc.registerFont('body', font);
  doc.font('body');
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) =>
    doc.on('end', () => resolve(Buffer.concat(chunks))),
  );
  const org = (code: string | null) => (code === null ? '—' : (orgNames.get(code) ?? code));
  doc.fontSize(16).text('Kişisel verilerinize ilişkin başvurunuzun yanıtı');
  doc.moveDown(0.5).fontSize(10);
  doc.text(`Başvuru türü: ${KIND_NAMES[request.kind] ?? request.kind}`);
  doc.text(
    `Başvuru tarihi: ${request.receivedAt.slice(0, 10)}   Yasal yanıt süresi: ${request.dueAt.slice(0, 10)}`,
  );
  const who = [findings.subject.phone, findings.subject.email].filter((x) => x !== null).join(', ');
  doc.text(`Başvuru sahibi: ${who}`);
  doc.moveDown();
  doc.fontSize(12).text(`Kayıtlı başvurularınız (${findings.soks.length})`);
  doc.fontSize(10);
  if (findings.soks.length === 0) doc.text('Bu iletişim bilgisiyle kayıtlı başvuru yok.');
  for (const s of findings.soks) {
    doc.moveDown(0.4);
    doc.text(`${s.regNo} — ${s.createdAt.slice(0, 10)} — ${org(s.targetOrg ?? s.originOrg)}`);
    if (s.anonymisedAt !== null) {
      doc.text(`  Kişisel veriler ${s.anonymisedAt.slice(0, 10)} tarihinde anonimleştirildi.`);
    } else {
      doc.text(`  Ad soyad: ${s.citizenName}`);
      doc.text(`  Telefon: ${s.citizenPhone || '—'}   E-posta: ${s.citizenEmail ?? '—'}`);
      doc.text(`  Adres: ${s.address || '—'}`);
      if (s.latitude !== null && s.longitude !== null)
        doc.text(`  Konum: ${s.latitude}, ${s.longitude}`);
    }
    doc.text(
      `  Aydınlatma metni okundu: ${s.kvkkNoticeAt?.slice(0, 10) ?? 'kayıt yok'}   SMS anket izni: ${
        s.smsConsent === null ? 'sorulmadı' : s.smsConsent ? 'verildi' : 'verilmedi'
      }`,
    );
  }
  doc.moveDown();
  doc.fontSize(12).text(`Çağrı kayıtları (${findings.calls.length})`);
  doc.fontSize(10);
  for (const c of findings.calls) {
    doc.text(
      `${c.startedAt.slice(0, 16).replace('T', ' ')} — ${org(c.orgCode)} — ${c.direction === 'inbound' ? 'gelen' : 'giden'} arama`,
    );
  }
  doc.moveDown();
  doc.fontSize(12).text(`Size gönderilen iletiler (${findings.messages.length})`);
  doc.fontSize(10);
  for (const m of findings.messages) {
    doc.text(
      `${m.createdAt.slice(0, 10)} — ${m.channel === 'sms' ? 'SMS' : 'E-posta'} — ${m.purpose}`,
    );
  }
  doc.moveDown();
  doc.text(
    'Verileriniz, şikâyet, öneri ve katkılarınızın değerlendirilmesi ve size dönüş yapılması amacıyla ' +
      'işlenmekte; başvurunuzun iletildiği kurumlarla ve bildirim sağlayıcılarıyla paylaşılmaktadır.',
  );
  doc.end();
  return done;
}
