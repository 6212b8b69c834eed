/**
 * Turkish address words and their abbreviations, as agents and citizens write them. Search folds
 * every form of a word to one canonical token, in the index and in every query (search.ts), so
 * "Caddesi", "Cad." and "Cd" find each other. Forms are folded already (text.ts: no Turkish
 * letters, lower case). `dotted` forms count only when written with a dot or a colon ("D: 5",
 * "K.3"): alone, a single letter is more often an initial than a floor or a flat.
 *
 * The one table for this: add a form here and both the index and the queries follow (stored rows
 * are indexed again only when they change, so a new form reaches old rows after a reindex).
 */
export interface AddressWord {
  canonical: string;
  forms: readonly string[];
  dotted?: readonly string[];
}

export const ADDRESS_WORDS: readonly AddressWord[] = [
  { canonical: 'cadde', forms: ['cadde', 'caddesi', 'cad', 'cd', 'cadd'] },
  { canonical: 'sokak', forms: ['sokak', 'sokagi', 'sok', 'sk', 'sokk'] },
  { canonical: 'mahalle', forms: ['mahalle', 'mahallesi', 'mah', 'mh', 'mahl'] },
  { canonical: 'bulvar', forms: ['bulvar', 'bulvari', 'blv', 'bulv', 'bul'] },
  { canonical: 'apartman', forms: ['apartman', 'apartmani', 'apt', 'ap'] },
  { canonical: 'no', forms: ['no', 'numara', 'numarasi', 'nu'] },
  { canonical: 'kat', forms: ['kat', 'kati'], dotted: ['k'] },
  { canonical: 'daire', forms: ['daire', 'dairesi', 'dair'], dotted: ['d'] },
  { canonical: 'site', forms: ['site', 'sitesi', 'sit'] },
  { canonical: 'meydan', forms: ['meydan', 'meydani', 'myd'] },
];

const CANONICAL = new Map<string, string>();
const DOTTED = new Map<string, string>();
for (const word of ADDRESS_WORDS) {
  for (const form of word.forms) CANONICAL.set(form, word.canonical);
  for (const form of word.dotted ?? []) DOTTED.set(form, word.canonical);
}

/**
 * The canonical word for a folded token, or null when it is not an address word. `marked`: the
 * token was written with a trailing dot or colon.
 */
export function canonicalAddressWord(token: string, marked: boolean): string | null {
  return CANONICAL.get(token) ?? (marked ? (DOTTED.get(token) ?? null) : null);
}
