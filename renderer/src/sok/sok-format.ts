import type { ReferenceSnapshot } from '../../../src/domain/reference';
import type { ContactPreference, SokStatus } from '../../../src/domain/sok';
import { formatPhoneForDisplay } from '../../../src/domain/phone';
import { compareTurkish } from '../../../src/domain/text';
import type { ComboOption } from '../ui/Combobox';
import { CONTACT_KEY, EVENT_KEY, PENDING_KEY, SOK_STATUS_KEY, ui, type UiKey } from '../i18n';

/** How ŞÖK fields read on screen: names for codes, Turkish for states. */

type Named = { code: string; name: string };

export function nameOf(list: readonly Named[] | undefined, code: string | null): string {
  if (code === null) return '';
  return list?.find((x) => x.code === code)?.name ?? code;
}

/** "Temizlik / Çöp › Çöp toplanmadı": a leaf topic with its group. */
export function topicLabel(reference: ReferenceSnapshot | null, code: string): string {
  const topic = reference?.topics.find((t) => t.code === code);
  if (!topic) return code;
  const parent = topic.parentCode
    ? reference?.topics.find((t) => t.code === topic.parentCode)
    : undefined;
  return parent ? `${parent.name} › ${topic.name}` : topic.name;
}

/** The leaf name alone ("Çöp toplanmadı"), as read to the citizen. */
export function topicName(reference: ReferenceSnapshot | null, code: string): string {
  return nameOf(reference?.topics, code);
}

export function statusName(status: SokStatus): string {
  return ui(SOK_STATUS_KEY[status]);
}

export function contactName(preference: ContactPreference): string {
  return ui(CONTACT_KEY[preference]);
}

export function eventKindName(kind: string): string {
  const key = (EVENT_KEY as Readonly<Record<string, UiKey | undefined>>)[kind];
  return key === undefined ? kind : ui(key);
}

export function pendingKindName(kind: string): string {
  const key = PENDING_KEY[kind];
  return key === undefined ? kind : ui(key);
}

export function phoneText(e164: string): string {
  return e164 === '' ? '—' : formatPhoneForDisplay(e164);
}

/** Leaf topics with their group, sorted as the tree reads. */
export function topicOptions(reference: ReferenceSnapshot): ComboOption[] {
  const names = new Map(reference.topics.map((t) => [t.code, t.name]));
  return reference.topics
    .filter((t) => t.parentCode !== null)
    .map((t) => ({
      code: t.code,
      label: t.name,
      group: names.get(t.parentCode ?? '') ?? '',
      keywords: t.keywords,
    }))
    .sort((a, b) => compareTurkish(a.group, b.group) || compareTurkish(a.label, b.label));
}

export function namedOptions(list: readonly Named[], sort = true): ComboOption[] {
  const options = list.map((x) => ({ code: x.code, label: x.name }));
  return sort ? options.sort((a, b) => compareTurkish(a.label, b.label)) : options;
}
