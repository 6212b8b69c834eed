import type { RoutePreview } from '../../../src/domain/bridge/contract';
import { t } from '../../../src/domain/i18n/tr';
import {
  CONTACT_PREFERENCES,
  SokDraftSchema,
  type ContactPreference,
  type SokDraftInput,
} from '../../../src/domain/sok';
import { fieldErrors } from '../../../src/domain/validation';
import { ui } from '../i18n';

/** What the intake form holds while it is typed: inputs as text, as the draft stores them. */
export interface IntakeValues {
  channelCode: string;
  typeCode: string;
  topicCode: string;
  districtCode: string;
  mahalle: string;
  address: string;
  latitude: string;
  longitude: string;
  description: string;
  citizenName: string;
  citizenPhone: string;
  citizenEmail: string;
  preferredContact: ContactPreference;
  kvkkNoticeGiven: boolean;
  smsConsent: boolean;
  /** "Başka bir kuruma gönder" is open: targetOrg and routeReason are sent. */
  override: boolean;
  targetOrg: string;
  routeReason: string;
}

export type IntakeField = keyof IntakeValues;
export type IntakeErrors = Partial<Record<string, string>>;

export const EMPTY_INTAKE: IntakeValues = {
  channelCode: 'telefon',
  typeCode: '',
  topicCode: '',
  districtCode: '',
  mahalle: '',
  address: '',
  latitude: '',
  longitude: '',
  description: '',
  citizenName: '',
  citizenPhone: '',
  citizenEmail: '',
  preferredContact: 'telefon',
  kvkkNoticeGiven: false,
  smsConsent: false,
  override: false,
  targetOrg: '',
  routeReason: '',
};

/** Nothing typed or chosen beyond the defaults: not worth a draft. */
export function isBlank(values: IntakeValues): boolean {
  return (Object.keys(EMPTY_INTAKE) as IntakeField[]).every((k) => {
    const v = values[k];
    return typeof v === 'string' && k !== 'channelCode' && k !== 'preferredContact'
      ? v.trim() === ''
      : v === EMPTY_INTAKE[k];
  });
}

function coordinate(text: string): number | null {
  const trimmed = text.trim().replace(',', '.');
  return trimmed === '' ? null : Number(trimmed);
}

/** The bridge's input for sok.create; targetOrg stays null unless the agent overrides. */
export function toDraftInput(v: IntakeValues): SokDraftInput {
  const override = v.override && v.targetOrg !== '';
  return {
    typeCode: v.typeCode,
    channelCode: v.channelCode,
    topicCode: v.topicCode,
    districtCode: v.districtCode,
    mahalle: v.mahalle,
    address: v.address,
    latitude: coordinate(v.latitude),
    longitude: coordinate(v.longitude),
    description: v.description,
    citizenName: v.citizenName,
    citizenPhone: v.citizenPhone,
    citizenEmail: v.citizenEmail,
    preferredContact: v.preferredContact,
    kvkkNoticeGiven: v.kvkkNoticeGiven,
    smsConsent: v.smsConsent,
    targetOrg: override ? v.targetOrg : null,
    routeReason: override ? v.routeReason : '',
  };
}

/**
 * Every message the form would show now: the domain schema's, plus the rules only the form
 * knows (coordinates come in pairs; an override needs an organisation and, when it differs
 * from the suggestion, a reason).
 */
export function validateIntake(v: IntakeValues, suggestion: RoutePreview | null): IntakeErrors {
  const result = SokDraftSchema.safeParse(toDraftInput(v));
  const errors: IntakeErrors = result.success ? {} : fieldErrors(result.error);
  // The schema's range messages speak of characters; say what a coordinate must be.
  if (errors.latitude) errors.latitude = ui('form.latitudeRange');
  if (errors.longitude) errors.longitude = ui('form.longitudeRange');
  const lat = v.latitude.trim();
  const lon = v.longitude.trim();
  if (lat === '' && lon !== '') errors.latitude ??= ui('form.coordinatesPair');
  if (lon === '' && lat !== '') errors.longitude ??= ui('form.coordinatesPair');
  if (v.override) {
    if (v.targetOrg === '') errors.targetOrg ??= t('validation.required');
    else if (v.targetOrg !== suggestion?.targetOrg && v.routeReason.trim().length < 5) {
      errors.routeReason ??= t('validation.routeReasonRequired');
    }
  }
  return errors;
}

/** A stored draft back into form values; anything unexpected is dropped, never trusted. */
export function restoreDraft(stored: Record<string, unknown>): IntakeValues {
  const next: IntakeValues = { ...EMPTY_INTAKE };
  for (const key of Object.keys(EMPTY_INTAKE) as IntakeField[]) {
    const value = stored[key];
    if (typeof value !== typeof EMPTY_INTAKE[key]) continue;
    if (key === 'preferredContact') {
      if (CONTACT_PREFERENCES.includes(value as ContactPreference)) {
        next.preferredContact = value as ContactPreference;
      }
    } else {
      (next as unknown as Record<string, unknown>)[key] = value;
    }
  }
  return next;
}
