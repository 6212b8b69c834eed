import { canonicalAddressWord } from './address-words';
import { searchTokens } from './text';
import { foldTurkish } from './text';

/**
 * What a ŞÖK is indexed under and how an agent's query is read (docs/search.md). The index and
 * every query fold alike: Turkish folding (text.ts), then address words to one form
 * (address-words.ts).
 *
 * A ŞÖK is indexed in classes that rank differently: its registration number and its citizen's
 * phone (B-tree columns of the ŞÖK row), the citizen's name, its place (mahalle, address,
 * district) and everything (name, place, description, topic, type). A query is either a number
 * (registration number or phone, never matched against text) or words.
 */

const TOKEN = /[\p{L}\p{N}]+([.:])?/gu;

/** Folded tokens of a text, address words in their canonical form (index side). */
export function searchTerms(text: string): string[] {
  const out: string[] = [];
  for (const m of foldTurkish(text).matchAll(TOKEN)) {
    const marked = m[1] !== undefined;
    const token = marked ? m[0].slice(0, -1) : m[0];
    out.push(canonicalAddressWord(token, marked) ?? token);
  }
  return out;
}

/** The citizen's name as indexed (the name class). */
export function nameDocument(citizenName: string): string {
  return searchTokens(citizenName).join(' ');
}

/** Mahalle, address and district as indexed (the place class). */
export function placeDocument(place: {
  mahalle: string;
  address: string;
  district: string;
}): string {
  return searchTerms(`${place.mahalle} ${place.address} ${place.district}`).join(' ');
}

/** Everything a word may match: name, place, description and the labels of the ŞÖK's codes. */
export function searchDocument(fields: readonly string[]): string {
  return searchTerms(fields.join(' ')).join(' ');
}

/**
 * The phone's digits read from the end (national number for Turkish numbers): a B-tree over it
 * answers "the number ending in 4567" with a range scan, whatever the prefix (0, +90) was.
 */
export function phoneTail(e164: string): string {
  let digits = e164.replace(/\D/g, '');
  if (digits.length === 12 && digits.startsWith('90')) digits = digits.slice(2);
  return [...digits].reverse().join('');
}

/** A query read as a number: registration number and/or phone. */
export interface NumberQuery {
  kind: 'number';
  /** A registration number, whole ("0012-3454") or its beginning ("0012-3"): reg_no prefix. */
  regNo: string | null;
  /** phoneTail prefix: the phone ends in these digits (reversed). */
  phoneTail: string | null;
  /** E.164 prefix: the phone starts with these digits ("0532 12" → "+9053212"). */
  phonePrefix: string | null;
}

/** A query read as words: FTS5 expressions, all tokens exact and as prefixes. */
export interface WordQuery {
  kind: 'words';
  tokens: string[];
  /** Every token as a whole word. */
  exact: string;
  /** Every token as a prefix (results while typing; agents abbreviate). */
  prefix: string;
}

export type SearchQuery = NumberQuery | WordQuery;

/** Digits and phone punctuation only: one number, however it was spaced. */
const NUMBER_LIKE = /^[\d\s+()./-]+$/;
const REG_NO_TYPED = /^\d{4}-\d{0,4}$/;
/** Fewer digits than this are not read as the end of a phone number. */
const PHONE_TAIL_MIN = 4;

function readNumber(text: string): NumberQuery | null {
  const compact = text.replace(/\s/g, '');
  const digits = compact.replace(/\D/g, '');
  if (digits.length === 0) return null;
  const none: NumberQuery = { kind: 'number', regNo: null, phoneTail: null, phonePrefix: null };
  // "0012-34…": a registration number as printed on a receipt.
  if (REG_NO_TYPED.test(compact)) return { ...none, regNo: compact };
  const q = { ...none };
  // Eight digits are a whole registration number typed without its dash (or a phone's end).
  if (digits.length === 8 && !compact.startsWith('+')) {
    q.regNo = `${digits.slice(0, 4)}-${digits.slice(4)}`;
  }
  let national: string | null = null;
  if (digits.length === 12 && digits.startsWith('90')) national = digits.slice(2);
  else if (digits.length === 11 && digits.startsWith('0')) national = digits.slice(1);
  else if (digits.length === 10 && !digits.startsWith('0')) national = digits;
  if (national !== null) {
    q.phoneTail = [...national].reverse().join('');
    return q;
  }
  if (compact.startsWith('+')) q.phonePrefix = `+${digits}`;
  else if (digits.startsWith('00') && q.regNo === null) q.phonePrefix = `+${digits.slice(2)}`;
  else if (digits.startsWith('0') && digits.length > 1) q.phonePrefix = `+90${digits.slice(1)}`;
  if (digits.length >= PHONE_TAIL_MIN && !compact.startsWith('+')) {
    q.phoneTail = [...digits].reverse().join('');
  }
  return q.regNo === null && q.phoneTail === null && q.phonePrefix === null ? null : q;
}

/**
 * Reads what an agent typed; null when there is nothing to search for. Tokens are quoted, so
 * nothing typed is read as FTS syntax. The last token may be a word being typed: when it is an
 * address abbreviation it is matched both as the canonical word and as itself.
 */
export function readSearchQuery(text: string): SearchQuery | null {
  if (text.trim() === '') return null;
  if (NUMBER_LIKE.test(text)) return readNumber(text);
  const raw = foldTurkish(text).match(/[\p{L}\p{N}]+/gu) ?? [];
  const tokens = searchTerms(text);
  if (tokens.length === 0) return null;
  const last = tokens.length - 1;
  const prefix = tokens
    .map((t, i) =>
      i === last && raw[i] !== undefined && raw[i] !== t ? `("${t}"* OR "${raw[i]}"*)` : `"${t}"*`,
    )
    .join(' AND ');
  return { kind: 'words', tokens, exact: tokens.map((t) => `"${t}"`).join(' AND '), prefix };
}
