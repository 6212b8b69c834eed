import { z } from 'zod';
import { ReceiptWireSchema } from '../sync';
import { text } from '../text-input';
import { EmptyBodySchema } from './auth';
import { endpoint } from './endpoint';

/** The citizens' SMS and e-mail: their templates (system admins) and retrying a failed one. */

export const TemplateDtoSchema = z.object({
  code: z.string(),
  locale: z.string(),
  subject: z.string().nullable(),
  body: z.string(),
  updatedBy: z.string().nullable(),
  updatedAt: z.string().nullable(),
  title: z.string(),
  channel: z.string().nullable(),
  purpose: z.string(),
  placeholders: z.array(z.string()),
  required: z.array(z.string()),
  hasSubject: z.boolean(),
  maxBodyLength: z.number().int(),
  defaultSubject: z.string().nullable(),
  defaultBody: z.string(),
  preview: z.object({
    subject: z.string().nullable(),
    body: z.string(),
    sms: z
      .object({
        encoding: z.enum(['gsm7', 'ucs2']),
        units: z.number().int(),
        segments: z.number().int(),
      })
      .nullable(),
  }),
});
export type TemplateDto = z.infer<typeof TemplateDtoSchema>;

export const notifications = {
  templates: endpoint('GET', '/admin/templates', {
    response: z.object({ templates: z.array(TemplateDtoSchema) }),
  }),
  saveTemplate: endpoint('PUT', '/admin/templates/:code', {
    params: z.strictObject({ code: text({ min: 1, max: 64, trim: false }) }),
    body: z.strictObject({
      subject: text({ max: 1000, trim: false }).nullable().optional(),
      body: text({ max: 20_000, trim: false }),
    }),
    response: z.object({ template: TemplateDtoSchema.optional() }),
  }),
  retry: endpoint('POST', '/admin/notifications/:id/retry', {
    params: z.strictObject({ id: z.uuid() }),
    body: EmptyBodySchema,
    response: z.object({ receipt: ReceiptWireSchema }),
  }),
};

export const ApiKeyDtoSchema = z.object({
  id: z.string(),
  name: z.string(),
  keyPrefix: z.string(),
  actingUserId: z.string(),
  actingUsername: z.string(),
  orgCode: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type ApiKeyDto = z.infer<typeof ApiKeyDtoSchema>;

/** API keys of the Open311 intake and the SIP front (system admins). */
export const apiKeys = {
  list: endpoint('GET', '/admin/api-keys', {
    response: z.object({ apiKeys: z.array(ApiKeyDtoSchema) }),
  }),
  /** The key itself is in this answer only. */
  issue: endpoint('POST', '/admin/api-keys', {
    body: z.strictObject({
      name: text({ min: 2, max: 120 }),
      actingUserId: z.uuid('Geçerli bir kullanıcı kimliği olmalıdır.'),
    }),
    status: 201,
    response: z.object({ apiKey: ApiKeyDtoSchema.nullable(), key: z.string() }),
  }),
  revoke: endpoint('DELETE', '/admin/api-keys/:id', {
    params: z.strictObject({ id: z.uuid() }),
    status: 204,
    response: z.undefined(),
  }),
};
