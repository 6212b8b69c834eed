/**
 * The desk's log file has no personal data (issue #21): ŞÖK ids and registration numbers only.
 * Log calls never pass a citizen's details on purpose; this is the second lock for what an
 * error message might carry (a server's echo of a request, a URL with a number in it).
 *
 * - e-mail addresses → "***@***"
 * - runs of 10 or more digits (phone numbers, T.C. kimlik numbers), with spaces, dots or a
 *   leading + → "***"; registration numbers ("0012-3454") and ids (UUIDs) stay readable
 * - JSON fields that hold a citizen's words or contact → "***"
 * - passwords, tokens and authorisation headers → "***"
 */
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
const LONG_NUMBER = /(?<![\p{L}\p{N}-])[+(]?\d[\d .()]{8,}\d(?![\p{L}\p{N}-])/gu;
const PERSONAL_FIELDS =
  /"(citizen\w*|phone|number|email|description|address|note|explanation|summary|name|displayName|password\w*)"\s*:\s*"(?:[^"\\]|\\.)*"/g;
const SECRETS =
  /\b(password|parola|token|accessToken|refreshToken|authorization|secret)(\s*[=:]\s*)(?:Bearer\s+)?[^\s,;"'}]+/gi;

export function redactLogText(text: string): string {
  return text
    .replace(PERSONAL_FIELDS, (_m, field: string) => `"${field}":"***"`)
    .replace(SECRETS, (_m, key: string, sep: string) => `${key}${sep}***`)
    .replace(EMAIL, '***@***')
    .replace(LONG_NUMBER, (m) => (m.replace(/\D/g, '').length >= 10 ? '***' : m));
}
