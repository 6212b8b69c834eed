import type { Organisation, OrganisationKind } from '../../../src/domain/reference';
import { compareTurkish } from '../../../src/domain/text';
import type { ComboOption } from './Combobox';

/** The order organisations are listed in: the call centre first, outside bodies last. */
const KIND_ORDER: Record<OrganisationKind, number> = {
  'call-centre': 0,
  'district-municipality': 1,
  'metropolitan-unit': 2,
  'municipal-company': 3,
  institution: 4,
};

/**
 * Organisations a user account can belong to. Outside institutions (UEDAŞ, CİMER …) are referral
 * targets, not places where Alo 153 users work, so they are left out unless already assigned.
 */
export function userOrgOptions(
  organisations: readonly Organisation[],
  keep: string | null = null,
): ComboOption[] {
  return organisations
    .filter((o) => o.kind !== 'institution' || o.code === keep)
    .sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || compareTurkish(a.name, b.name))
    .map((o) => ({ code: o.code, label: o.name, keywords: [o.shortName, o.code] }));
}

export function orgName(organisations: readonly Organisation[] | undefined, code: string): string {
  return organisations?.find((o) => o.code === code)?.name ?? code;
}

export function orgShortName(
  organisations: readonly Organisation[] | undefined,
  code: string,
): string {
  return organisations?.find((o) => o.code === code)?.shortName ?? code;
}

/**
 * Every organisation a ŞÖK can be sent to, outside institutions included (UEDAŞ, CİMER …: the
 * citizen is told where it went), grouped by kind in the order above.
 */
export function routingOrgOptions(
  organisations: readonly Organisation[],
  kindName: (kind: OrganisationKind) => string,
): ComboOption[] {
  return [...organisations]
    .sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || compareTurkish(a.name, b.name))
    .map((o) => ({
      code: o.code,
      label: o.name,
      group: kindName(o.kind),
      keywords: [o.shortName, o.code],
    }));
}
