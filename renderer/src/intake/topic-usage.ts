import type { ComboOption } from '../Combobox';

/**
 * How often each topic was chosen for a ŞÖK registered on this desk, so that among equally good
 * matches the topic search offers the usual one first. Only a ranking hint: losing it (a cleared
 * profile) changes an order, never data.
 */
const KEY = 'alo153.topicUses';

function read(): Record<string, number> {
  try {
    const parsed = JSON.parse(localStorage.getItem(KEY) ?? '{}') as unknown;
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, number>) : {};
  } catch {
    return {};
  }
}

export function recordTopicUse(code: string): void {
  if (!code) return;
  const uses = read();
  uses[code] = (uses[code] ?? 0) + 1;
  try {
    localStorage.setItem(KEY, JSON.stringify(uses));
  } catch {
    // Storage full or unavailable: the order stays alphabetical.
  }
}

/** The topic options with how often each was used here. */
export function withTopicUses(options: readonly ComboOption[]): ComboOption[] {
  const uses = read();
  return options.map((o) => (uses[o.code] ? { ...o, uses: uses[o.code] } : o));
}
