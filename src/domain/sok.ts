import { z } from 'zod';
import { SokStatusSchema, type Callback, type Decision, type SokStatus } from './workflow/state';
import { t } from './i18n/tr';
import { parseTurkishPhone } from './phone';
import { text } from './text-input';

/** ŞÖK: şikayet, öneri, katkı — every citizen request is one. */

const refCode = text({ min: 1, max: 64, messages: { tooLong: t('validation.unknownCode') } }).regex(
  /^[a-z0-9][a-z0-9._-]*$/,
  t('validation.unknownCode'),
);

export const DESCRIPTION_MAX = 4000;

/** '' (no phone) or a valid number, normalised to E.164. */
const phoneE164 = text({
  max: 40,
  messages: { type: t('validation.phoneInvalid'), tooLong: t('validation.phoneInvalid') },
})
  .default('')
  .transform((value, ctx) => {
    if (value.trim() === '') return '';
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

export const CONTACT_PREFERENCES = ['telefon', 'sms', 'e-posta'] as const;
export type ContactPreference = (typeof CONTACT_PREFERENCES)[number];

const email = text({ max: 254, messages: { tooLong: t('validation.emailInvalid') } })
  .default('')
  .refine((v) => v === '' || z.email().safeParse(v).success, t('validation.emailInvalid'))
  .transform((v) => v.toLocaleLowerCase('en'));

const coordinate = (min: number, max: number) =>
  z
    .number({
      error: (issue) => (issue.code === 'invalid_type' ? t('validation.invalid') : undefined),
    })
    .min(min)
    .max(max)
    .nullable()
    .default(null);

/** The fields of a ŞÖK an agent (or the web form) fills in. */
export const sokDraftShape = {
  typeCode: refCode,
  channelCode: refCode.default('telefon'),
  topicCode: refCode,
  districtCode: refCode,
  mahalle: text({ max: 120 }).default(''),
  address: text({ max: 500 }).default(''),
  description: text({ min: 10, max: DESCRIPTION_MAX }),
  citizenName: text({ min: 2, max: 120 }),
  citizenPhone: phoneE164,
  citizenEmail: email,
  preferredContact: z.enum(CONTACT_PREFERENCES).default('telefon'),
  latitude: coordinate(-90, 90),
  longitude: coordinate(-180, 180),
  /** The agent read the KVKK notice to the caller (who and when are recorded by the app). */
  kvkkNoticeGiven: z.boolean().default(false),
  /** Optional consent to extra uses (e.g. satisfaction surveys by SMS); never a condition. */
  smsConsent: z.boolean().default(false),
  /** Where it goes: null takes the routing suggestion; anything else needs a reason. */
  targetOrg: refCode.nullable().default(null),
  routeReason: text({ max: 500 }).default(''),
};

/** Contact rules across fields: someone must be able to reach the citizen the way they chose. */
export function checkContact(
  draft: { citizenPhone: string; citizenEmail: string; preferredContact: ContactPreference },
  ctx: z.RefinementCtx,
): void {
  if (draft.citizenPhone === '' && draft.citizenEmail === '') {
    ctx.addIssue({
      code: 'custom',
      path: ['citizenPhone'],
      message: t('validation.contactRequired'),
    });
    return;
  }
  if (draft.preferredContact === 'sms') {
    const phone = draft.citizenPhone === '' ? null : parseTurkishPhone(draft.citizenPhone);
    if (!phone?.ok || phone.kind !== 'mobile') {
      ctx.addIssue({
        code: 'custom',
        path: ['preferredContact'],
        message: t('validation.smsNeedsMobile'),
      });
    }
  }
  if (draft.preferredContact === 'e-posta' && draft.citizenEmail === '') {
    ctx.addIssue({
      code: 'custom',
      path: ['citizenEmail'],
      message: t('validation.emailRequired'),
    });
  }
  if (draft.preferredContact === 'telefon' && draft.citizenPhone === '') {
    ctx.addIssue({
      code: 'custom',
      path: ['citizenPhone'],
      message: t('validation.phoneRequired'),
    });
  }
}

/** What an agent submits when registering a ŞÖK. */
export const SokDraftSchema = z.strictObject(sokDraftShape).superRefine(checkContact);
export type SokDraftInput = z.input<typeof SokDraftSchema>;
export type SokDraft = z.output<typeof SokDraftSchema>;

/** Where a ŞÖK stands: declared with the workflow (src/domain/workflow/state.ts). */
export { SokStatusSchema, type SokStatus };

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
  /** E.164, or '' when the citizen gave no phone. */
  citizenPhone: string;
  citizenEmail: string;
  preferredContact: ContactPreference;
  latitude: number | null;
  longitude: number | null;
  /** Who read the KVKK notice and when; null when it was not given. */
  kvkkNoticeBy: string | null;
  kvkkNoticeAt: string | null;
  smsConsent: boolean;
  /** The routing rule that chose targetOrg; null when the agent overrode the suggestion … */
  routeRuleId: string | null;
  /** … for this reason. */
  routeReason: string;
  status: SokStatus;
  /** The organisation that registered it (BİKOM or a district desk …). */
  originOrg: string;
  /** The organisation it is routed to; null until routed. */
  targetOrg: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  acceptedBy: string | null;
  acceptedAt: string | null;
  decision: Decision | null;
  /** The mandated callback (or a missed call's), owned by an organisation. */
  callback: Callback | null;
  /** Contact details masked for this desk (KVKK). */
  contactMasked: boolean;
  /**
   * KVKK: masked only on this screen, because this user's role sees contact details on demand
   * (`CONTACT_ON_DEMAND_ROLES`); `sok.reveal` shows them and logs the reveal.
   */
  contactOnDemand?: true;
  /**
   * KVKK: this PC no longer keeps the citizen's contact data of this closed ŞÖK ("kişisel veriler
   * bu bilgisayarda tutulmuyor"); opened online, they are shown from the server, not stored.
   */
  personalDataOffDesk?: true;
  /** 'pending' while a local change waits for the server. */
  syncState: 'synced' | 'pending';
}

/** A filtered, paged list of ŞÖKs (the lists are virtualised: pages load as the user scrolls). */
export const SokListSchema = z.strictObject({
  query: text({ max: 200 }).default(''),
  status: SokStatusSchema.optional(),
  typeCode: text({ max: 64 }).optional(),
  topicCode: text({ max: 64 }).optional(),
  districtCode: text({ max: 64 }).optional(),
  /** Receiving organisation. */
  targetOrg: text({ max: 64 }).optional(),
  /** Registered on or after / before (ISO dates, Europe/Istanbul days are the UI's business). */
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  offset: z.number().int().min(0).max(10_000_000).default(0),
  limit: z.number().int().min(1).max(500).default(100),
});
export type SokListInput = z.input<typeof SokListSchema>;
export type SokListFilter = z.output<typeof SokListSchema>;

export interface SokListPage {
  items: Sok[];
  /** How many match, counted up to `totalCap`; `total === totalCap` means "at least". */
  total: number;
  totalCap: number;
  /**
   * The inbox's 'external' state only: per listed ŞÖK, when it was sent to the organisation
   * outside the app (its latest routing), when the server found the reply time passed (the
   * `external-overdue` event since that routing) and when the organisation answered by e-mail.
   */
  external?: Record<string, ExternalWait>;
}

/** A ŞÖK waiting for an organisation outside the app (docs/mailbox.md). */
export interface ExternalWait {
  sentAt: string;
  overdueAt: string | null;
  answeredAt: string | null;
}

export const SokSearchSchema = z.strictObject({
  query: text({ max: 200 }),
  limit: z.number().int().min(1).max(200).default(50),
});
export type SokSearchInput = z.input<typeof SokSearchSchema>;

/** Why a ŞÖK is in the search results, best first: the results are ranked in this order. */
export type SokSearchMatch = 'regNo' | 'phone' | 'name' | 'place' | 'text';

export interface SokSearchResult {
  items: Sok[];
  /** True when more rows matched than `limit`. */
  more: boolean;
  /** Per ŞÖK id: the class it matched in (absent when the query was empty). */
  matchedBy: Partial<Record<string, SokSearchMatch>>;
  /**
   * ŞÖKs whose place and full-text rows are still being written (after a first sync):
   * number, phone and name look-ups find them already, words in their address or text not yet.
   */
  indexing: number;
}
