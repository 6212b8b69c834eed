import type { ComboOption } from '../ui/Combobox';

/**
 * How often each topic was chosen for a ŞÖK registered on this desk, so that among equally good
 * matches the topic search offers the usual one first. Only a ranking hint: losing it (a cleared
 * profile) changes an order, never data.
 */
const KEY = 'alo153.topicUses';

export function readTopicUses(): Record<string, number> {
  try {
    const parsed = JSON.parse(localStorage.getItem(KEY) ?? '{}') as unknown;
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, number>) : {};
  } catch {
    return {};
  }
}

/** Counts one more use of the topic; returns the counts as they now are. */
export function recordTopicUse(code: string): Record<string, number> {
  const uses = readTopicUses();
  if (!code) return uses;
  uses[code] = (uses[code] ?? 0) + 1;
  try {
    localStorage.setItem(KEY, JSON.stringify(uses));
  } catch {
    // Storage full or unavailable: the order stays alphabetical.
  }
  return uses;
}

/** The topic options with how often each was used here. */
export function withTopicUses(
  options: readonly ComboOption[],
  uses: Record<string, number>,
): ComboOption[] {
  return options.map((o) => {
    const n = uses[o.code];
    return n ? { ...o, uses: n } : o;
  });
}
