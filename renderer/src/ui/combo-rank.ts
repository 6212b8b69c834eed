import { foldTurkish } from '../../../src/domain/text';

export interface RankableOption {
  code: string;
  label: string;
  group?: string;
  keywords?: readonly string[];
  /** How often this option was chosen here (topics: ŞÖKs registered on this desk). */
  uses?: number;
}

export interface IndexedOption<T extends RankableOption> {
  option: T;
  label: string[];
  keywords: string[][];
  group: string[];
  /** Everything the option may be found by (codes of organisations, too). */
  text: string;
}

const words = (text: string) => foldTurkish(text).match(/[\p{L}\p{N}]+/gu) ?? [];

export function indexOptions<T extends RankableOption>(options: readonly T[]): IndexedOption<T>[] {
  return options.map((option) => ({
    option,
    label: words(option.label),
    keywords: (option.keywords ?? []).map(words),
    group: words(option.group ?? ''),
    text: foldTurkish([option.label, option.group ?? '', ...(option.keywords ?? [])].join(' ')),
  }));
}

/** 3: a whole word, 2: the start of a word, 1: inside a word, 0: absent. */
function fit(token: string, in_: readonly string[]): number {
  let best = 0;
  for (const w of in_) {
    if (w === token) return 3;
    if (w.startsWith(token)) best = Math.max(best, 2);
    else if (w.includes(token)) best = Math.max(best, 1);
  }
  return best;
}

/**
 * Orders the options that match what the agent typed the way they mean it: options whose own
 * name holds every word first, then those found by a keyword, then those found only through
 * their group (the path) or code; within that, how well the words fit (whole words over word
 * starts, a keyword that is exactly the typed text, the group agreeing with the name), then how
 * often the option is used here, then the list's own (alphabetical) order. "kaldırım" thus
 * finds "Yol / Asfalt / Kaldırım › Kırık / bozuk kaldırım" before "Zabıta › Kaldırım / yol
 * işgali".
 */
export function rankOptions<T extends RankableOption>(
  indexed: readonly IndexedOption<T>[],
  filter: string,
): T[] {
  const tokens = words(filter);
  const query = tokens.join(' ');
  const ranked: { option: T; tier: number; score: number; uses: number; order: number }[] = [];
  indexed.forEach((x, order) => {
    if (!tokens.every((tok) => x.text.includes(tok))) return;
    const keywordWords = x.keywords.flat();
    const inLabel = tokens.every((tok) => fit(tok, x.label) > 0);
    const inKeywords = tokens.every((tok) => fit(tok, x.label) > 0 || fit(tok, keywordWords) > 0);
    const tier = inLabel ? 0 : inKeywords ? 1 : 2;
    let score = 0;
    for (const tok of tokens) {
      score += 2 * fit(tok, x.label) + fit(tok, keywordWords) + fit(tok, x.group);
    }
    if (x.keywords.some((k) => k.join(' ') === query)) score += 3;
    if (x.label.join(' ') === query) score += 6;
    ranked.push({ option: x.option, tier, score, uses: x.option.uses ?? 0, order });
  });
  return ranked
    .sort((a, b) => a.tier - b.tier || b.score - a.score || b.uses - a.uses || a.order - b.order)
    .map((r) => r.option);
}
