import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { text } from '../../domain/text-input';
import type { AppDeps } from '../app-deps';
import { maskEmail, maskPhone, seesFullContact } from '../../domain/privacy';
import { requireSystemAdmin } from '../admin/authority';
import { authOf, requireRole } from '../auth/context';
import { badRequest, conflict, notFound } from '../http/errors';
import { formatIstanbulTime } from '../i18n';
import { visibilityFor } from '../scope';
import { smsSegments, type SmsSegmentInfo } from './senders/sms-segments';
import { receiptToWire, requeueFailed } from './store';
import {
  DEFAULT_TEMPLATES,
  listTemplates,
  renderTemplate,
  saveTemplate,
  TEMPLATE_KINDS,
  templateKind,
  validateTemplate,
  type StoredTemplate,
  type TemplateValues,
} from './templates';

const TemplateParams = z.strictObject({ code: text({ min: 1, max: 64, trim: false }) });
const TemplateBody = z.strictObject({
  subject: text({ max: 1000, trim: false }).nullable().optional(),
  body: text({ max: 20_000, trim: false }),
});
const NotificationParams = z.strictObject({ id: z.uuid() });
const EmptyBody = z.strictObject({}).nullish();

/** What the admin screen shows for one template, with a preview on sample values. */
export interface TemplateDto extends StoredTemplate {
  title: string;
  channel: string | null;
  purpose: string;
  placeholders: string[];
  required: string[];
  hasSubject: boolean;
  maxBodyLength: number;
  defaultSubject: string | null;
  defaultBody: string;
  preview: { subject: string | null; body: string; sms: SmsSegmentInfo | null };
}

/**
 * Template administration (the texts every organisation's citizens get: system administrators)
 * and re-queueing of failed notifications (supervisors and admins, on ŞÖKs their organisation may
 * see). Wire with `registerNotificationRoutes(app, deps)`.
 */
export function registerNotificationRoutes(
  app: FastifyInstance,
  deps: Pick<AppDeps, 'db' | 'clock' | 'notifier' | 'config'>,
): void {
  const { db, clock, notifier } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const adminOnly = requireSystemAdmin(deps.config.workflow.callCentreOrg);

  const toDtos = async (): Promise<TemplateDto[]> => {
    const stored = await listTemplates(db);
    const followUp = stored.find((t) => t.code === 'receipt.follow-up')?.body ?? '';
    const sample: TemplateValues = {
      regNo: '0012-3454',
      topic: 'Çöp toplanmadı',
      date: formatIstanbulTime(clock().toISOString()),
      citizenName: 'Ayşe Yılmaz',
    };
    sample.followUp = renderTemplate(followUp, sample).trim();
    return TEMPLATE_KINDS.map((kind) => {
      const t = stored.find((s) => s.code === kind.code) ?? {
        code: kind.code,
        locale: 'tr',
        subject: null,
        body: '',
        updatedBy: null,
        updatedAt: null,
      };
      const shipped = DEFAULT_TEMPLATES.get(kind.code);
      const body = renderTemplate(t.body, sample);
      return {
        ...t,
        title: kind.title,
        channel: kind.channel,
        purpose: kind.purpose,
        placeholders: [...kind.placeholders],
        required: [...kind.required],
        hasSubject: kind.hasSubject,
        maxBodyLength: kind.maxBodyLength,
        defaultSubject: shipped?.subject ?? null,
        defaultBody: shipped?.body ?? '',
        preview: {
          subject: t.subject === null ? null : renderTemplate(t.subject, sample),
          body,
          sms: kind.channel === 'sms' ? smsSegments(body) : null,
        },
      };
    });
  };

  r.get('/admin/templates', { onRequest: adminOnly }, async () => ({ templates: await toDtos() }));

  r.put(
    '/admin/templates/:code',
    { onRequest: adminOnly, schema: { params: TemplateParams, body: TemplateBody } },
    async (request) => {
      const { code } = request.params;
      if (templateKind(code) === undefined) throw notFound(`No template ${code}.`);
      const text = { subject: request.body.subject ?? null, body: request.body.body };
      const fields = validateTemplate(code, text);
      if (Object.keys(fields).length > 0) throw badRequest('The template is invalid.', fields);
      const { user } = authOf(request);
      await saveTemplate(db, code, text, user.id, clock());
      request.log.info({ code, by: user.id }, 'notification template changed');
      const template = (await toDtos()).find((t) => t.code === code);
      return { template };
    },
  );

  r.post(
    '/admin/notifications/:id/retry',
    {
      onRequest: requireRole('supervisor', 'admin'),
      schema: { params: NotificationParams, body: EmptyBody },
    },
    async (request) => {
      const { id } = request.params;
      const { user } = authOf(request);
      // Scope first: a notification on a ŞÖK the caller may not see is answered exactly like one
      // that does not exist (same status, same body), whatever its state.
      const target = await db
        .selectFrom('notification')
        .innerJoin('sok', 'sok.id', 'notification.sok_id')
        .select([
          'notification.state',
          'sok.origin_org',
          'sok.target_org',
          'sok.callback_owner_org',
        ])
        .where('notification.id', '=', id)
        .where(visibilityFor(user))
        .executeTakeFirst();
      if (target === undefined) throw notFound('No such notification.');
      const requeued = target.state === 'failed' ? await requeueFailed(db, id, clock()) : null;
      if (requeued === null) {
        const exists = await db
          .selectFrom('notification')
          .select('state')
          .where('id', '=', id)
          .executeTakeFirst();
        if (exists === undefined) throw notFound('No such notification.');
        throw conflict(
          'conflict',
          `Only a failed notification can be retried (it is ${exists.state}).`,
          {
            userMessage: 'Yalnızca gönderilemeyen bir bildirim yeniden denenebilir.',
          },
        );
      }
      request.log.info({ notificationId: id, by: user.id }, 'notification requeued');
      // The publish also wakes the workers (they listen for changes).
      await notifier.publish(requeued.seq);
      const receipt = receiptToWire(requeued.row);
      // KVKK: the citizen's number or address in full only to those who handle the ŞÖK.
      const full = seesFullContact(user.orgCode, {
        originOrg: target.origin_org,
        targetOrg: target.target_org,
        callbackOwnerOrg: target.callback_owner_org ?? null,
      });
      if (full) return { receipt };
      const recipient =
        receipt.channel === 'sms' ? maskPhone(receipt.recipient) : maskEmail(receipt.recipient);
      return { receipt: { ...receipt, recipient } };
    },
  );
}
