/**
 * Turkish text folding for search. One function serves the index and every query, so whatever
 * the caller types (YILDIRIM, yildirim, Yıldırım) lands on the same key. SQLite's own folding
 * cannot do this: FTS5's unicode61 tokenizer folds capital I to i, never to ı, so YILDIRIM would
 * never match Yıldırım (the trigram tokenizer, lower() and LIKE fold no better).
 *
 * All four i's (I, İ, ı, i) become i; ş→s, ç→c, ğ→g, ö→o, ü→u; other marks are stripped;
 * everything is lower-cased. i/ı and s/ş variants collide on purpose.
 */
const TURKISH_MAP: Record<string, string> = {
  I: 'i',
  İ: 'i',
  ı: 'i',
  Ş: 's',
  ş: 's',
  Ç: 'c',
  ç: 'c',
  Ğ: 'g',
  ğ: 'g',
  Ö: 'o',
  ö: 'o',
  Ü: 'u',
  ü: 'u',
};
const TURKISH_CHARS = /[IİıŞşÇçĞğÖöÜü]/g;
const COMBINING_MARKS = /[\u0300-\u036f]/g;

/** Anything but printable ASCII and whitespace: only such text can carry marks to strip. */
const NON_ASCII = /[^ -~\t\n\r]/;
const foldTurkishChar = (ch: string) => TURKISH_MAP[ch] ?? ch;

export function foldTurkish(text: string): string {
  const mapped = text.replace(TURKISH_CHARS, foldTurkishChar);
  // Turkish text is ASCII once its own letters are mapped: no decomposition to undo (a first
  // sync folds every ŞÖK's text, and NFD is most of the cost).
  if (!NON_ASCII.test(mapped)) return mapped.toLowerCase();
  return mapped.normalize('NFD').replace(COMBINING_MARKS, '').toLowerCase();
}

/** Splits folded text into search tokens: runs of letters and digits. */
export function searchTokens(text: string): string[] {
  return foldTurkish(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

const collator = new Intl.Collator('tr', { sensitivity: 'base' });
/** Sorts names the way a Turkish reader expects (Ç after C, İ after I …). */
export function compareTurkish(a: string, b: string): number {
  return collator.compare(a, b);
}
