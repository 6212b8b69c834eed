import { z } from 'zod';
import { text } from './text-input';

/**
 * Reference data (districts, organisations, topics, ŞÖK types, channels) is data, shipped in
 * resources/reference and loaded into the store; logic never names a district or a unit.
 */

const code = text({ min: 1, max: 64, trim: false }).regex(
  /^[a-z0-9][a-z0-9._-]*$/,
  'kod küçük ASCII harf, rakam, nokta, tire olmalı',
);

export const DistrictSchema = z.strictObject({
  code,
  name: text({ min: 1, max: 80, trim: false }),
});
export type District = z.infer<typeof DistrictSchema>;

export const OrganisationKindSchema = z.enum([
  /** BİKOM itself: the call centre that runs Alo-153. */
  'call-centre',
  /** A metropolitan department (daire başkanlığı). */
  'metropolitan-unit',
  /** A municipal company such as BUSKİ or BURULAŞ. */
  'municipal-company',
  /** One of the 17 district municipalities (its hizmet masası). */
  'district-municipality',
  /** A body outside the municipality (UEDAŞ, Bursagaz, CİMER …): a referral target. */
  'institution',
]);
export type OrganisationKind = z.infer<typeof OrganisationKindSchema>;

export const OrganisationSchema = z.strictObject({
  code,
  name: text({ min: 1, max: 160, trim: false }),
  shortName: text({ min: 1, max: 40, trim: false }),
  kind: OrganisationKindSchema,
  /** Set for district municipalities: the district they serve. */
  districtCode: code.optional(),
  /** Public contact shown to citizens when a ŞÖK is referred (e.g. "185" for BUSKİ). */
  publicPhone: text({ max: 40, trim: false }).optional(),
  email: z.email().optional(),
  /** Outside the app: a ŞÖK routed to it goes to its e-mail address (docs/mailbox.md). */
  external: z.boolean().optional(),
  /** Internal number on the call centre's exchange: the softphone's transfer directory. */
  sipExtension: z
    .string()
    .regex(/^[0-9*#]{2,15}$/, 'dahili numara yalnızca rakam, * ve # olmalı')
    .optional(),
});
export type Organisation = z.infer<typeof OrganisationSchema>;

export const TopicSchema = z.strictObject({
  code,
  name: text({ min: 1, max: 120, trim: false }),
  parentCode: code.nullable(),
  /** Extra words a caller may use for this topic; folded and searched with the name. */
  keywords: z
    .array(text({ min: 1, max: 60, trim: false }))
    .max(30)
    .default([]),
  /** Working days from decision to callback for this topic (and its children); default: config. */
  callbackWorkingDays: z.number().int().min(0).max(60).optional(),
});
export type Topic = z.infer<typeof TopicSchema>;

export const SokTypeSchema = z.strictObject({ code, name: text({ min: 1, max: 60, trim: false }) });
export type SokType = z.infer<typeof SokTypeSchema>;

export const ChannelSchema = z.strictObject({ code, name: text({ min: 1, max: 60, trim: false }) });
export type Channel = z.infer<typeof ChannelSchema>;

export const ReferenceDataSchema = z
  .strictObject({
    version: z.number().int().positive(),
    districts: z.array(DistrictSchema).min(1),
    organisations: z.array(OrganisationSchema).min(1),
    topics: z.array(TopicSchema).min(1),
    sokTypes: z.array(SokTypeSchema).min(1),
    channels: z.array(ChannelSchema).min(1),
  })
  .superRefine((data, ctx) => {
    const unique = (list: { code: string }[], path: string) => {
      const seen = new Set<string>();
      for (const item of list) {
        if (seen.has(item.code)) {
          ctx.addIssue({ code: 'custom', path: [path], message: `yinelenen kod: ${item.code}` });
        }
        seen.add(item.code);
      }
      return seen;
    };
    const districts = unique(data.districts, 'districts');
    unique(data.organisations, 'organisations');
    const topics = unique(data.topics, 'topics');
    unique(data.sokTypes, 'sokTypes');
    unique(data.channels, 'channels');
    for (const org of data.organisations) {
      if (org.districtCode !== undefined && !districts.has(org.districtCode)) {
        ctx.addIssue({
          code: 'custom',
          path: ['organisations'],
          message: `${org.code}: bilinmeyen ilçe ${org.districtCode}`,
        });
      }
      if (org.kind === 'district-municipality' && org.districtCode === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['organisations'],
          message: `${org.code}: ilçe belediyesinin ilçesi yok`,
        });
      }
    }
    for (const topic of data.topics) {
      if (topic.parentCode !== null && !topics.has(topic.parentCode)) {
        ctx.addIssue({
          code: 'custom',
          path: ['topics'],
          message: `${topic.code}: bilinmeyen üst konu ${topic.parentCode}`,
        });
      }
    }
  });
export type ReferenceData = z.infer<typeof ReferenceDataSchema>;

/** Reference data as the UI receives it from the store. */
export type ReferenceSnapshot = Omit<ReferenceData, 'version'>;
