import { z } from 'zod';
import { t } from './i18n/tr';
import { parseTurkishPhone } from './phone';

/** ŞÖK: şikayet, öneri, katkı — every citizen request is one. */

const refCode = z
  .string({ error: () => t('validation.required') })
  .trim()
  .min(1, t('validation.required'))
  .max(64, t('validation.unknownCode'))
  .regex(/^[a-z0-9][a-z0-9._-]*$/, t('validation.unknownCode'));

export const DESCRIPTION_MAX = 4000;

const phoneE164 = z
  .string({ error: () => t('validation.phoneRequired') })
  .max(40, t('validation.phoneInvalid'))
  .transform((value, ctx) => {
    const parsed = parseTurkishPhone(value);
    if (!parsed.ok) {
      ctx.addIssue({
        code: 'custom',
        message:
          parsed.reason === 'empty' ? t('validation.phoneRequired') : t('validation.phoneInvalid'),
      });
      return z.NEVER;
    }
    return parsed.e164;
  });

/** What an agent submits when registering a ŞÖK. */
export const SokDraftSchema = z.strictObject({
  typeCode: refCode,
  channelCode: refCode.default('telefon'),
  topicCode: refCode,
  districtCode: refCode,
  mahalle: z
    .string()
    .trim()
    .max(120, t('validation.tooLong', { max: 120 }))
    .default(''),
  address: z
    .string()
    .trim()
    .max(500, t('validation.tooLong', { max: 500 }))
    .default(''),
  description: z
    .string({ error: () => t('validation.required') })
    .trim()
    .min(1, t('validation.required'))
    .min(10, t('validation.tooShort', { min: 10 }))
    .max(DESCRIPTION_MAX, t('validation.tooLong', { max: DESCRIPTION_MAX })),
  citizenName: z
    .string({ error: () => t('validation.required') })
    .trim()
    .min(1, t('validation.required'))
    .min(2, t('validation.tooShort', { min: 2 }))
    .max(120, t('validation.tooLong', { max: 120 })),
  citizenPhone: phoneE164,
});
export type SokDraftInput = z.input<typeof SokDraftSchema>;
export type SokDraft = z.output<typeof SokDraftSchema>;

export const SokStatusSchema = z.enum([
  'registered',
  'routed',
  'accepted',
  'decided',
  'informed',
  'closed',
]);
export type SokStatus = z.infer<typeof SokStatusSchema>;

export interface Sok {
  id: string;
  /** Registration number read to the citizen ("0012-3454"); null until a number is assigned. */
  regNo: string | null;
  typeCode: string;
  channelCode: string;
  topicCode: string;
  districtCode: string;
  mahalle: string;
  address: string;
  description: string;
  citizenName: string;
  citizenPhone: string;
  status: SokStatus;
  /** The organisation that registered it (BİKOM or a district desk …). */
  originOrg: string;
  /** The organisation it is routed to; null until routed. */
  targetOrg: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** 'pending' while a local change waits for the server. */
  syncState: 'synced' | 'pending';
}

export const SokSearchSchema = z.strictObject({
  query: z.string().max(200, t('validation.tooLong', { max: 200 })),
  limit: z.number().int().min(1).max(200).default(50),
});
export type SokSearchInput = z.input<typeof SokSearchSchema>;

export interface SokSearchResult {
  items: Sok[];
  /** True when more rows matched than `limit`. */
  more: boolean;
}
