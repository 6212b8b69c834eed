import { phoneSearchForms } from './phone';
import { searchTokens } from './text';

/**
 * Builds the folded text a ŞÖK is indexed under, and the FTS5 query for what an agent types.
 * Both go through searchTokens (src/domain/text.ts), so the index and the query fold alike.
 */
export interface SearchableSok {
  regNo: string | null;
  citizenPhone: string;
  fields: readonly string[];
}

export function searchDocument(sok: SearchableSok): string {
  const parts: string[] = [];
  if (sok.regNo !== null) {
    const digits = sok.regNo.replace(/\D/g, '');
    parts.push(digits, sok.regNo);
  }
  if (sok.citizenPhone !== '') parts.push(...phoneSearchForms(sok.citizenPhone));
  parts.push(...sok.fields);
  return searchTokens(parts.join(' ')).join(' ');
}

/** A query made only of digits and phone punctuation is one number, however it was spaced. */
const NUMBER_LIKE = /^[\d\s+()./-]+$/;

/**
 * FTS5 MATCH expression: every token must match, the last one as a prefix (results while typing),
 * earlier ones as prefixes too since agents abbreviate. Tokens are quoted so nothing the user
 * types is read as FTS syntax. Returns null when there is nothing to search for.
 */
export function ftsQuery(text: string): string | null {
  const tokens = queryTokens(text);
  return tokens === null ? null : tokens.map((tok) => `"${tok}"*`).join(' ');
}

/**
 * The folded tokens of a query, each to be matched as a prefix of some token of a ŞÖK's search
 * document (what `ftsQuery` asks FTS5 for); null when there is nothing to search for.
 */
export function queryTokens(text: string): string[] | null {
  let tokens: string[];
  if (NUMBER_LIKE.test(text)) {
    const digits = text.replace(/\D/g, '');
    if (digits.length === 0) return null;
    // "+90 532" → "90532": the index also holds the number without 90 and with a leading 0.
    tokens = [digits];
  } else {
    tokens = searchTokens(text);
  }
  return tokens.length === 0 ? null : tokens;
}
