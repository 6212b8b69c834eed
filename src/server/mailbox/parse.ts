import { createHash } from 'node:crypto';
import { finished } from 'node:stream/promises';
import { Splitter } from '@zone-eu/mailsplit';
import { fileTypeFromBuffer } from 'file-type';
import { convert as htmlToText } from 'html-to-text';
import libmime from 'libmime';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { formatRegNo, parseRegNo } from '../../domain/regno';
import type { MailAttachmentRefusal, MailItemKind } from '../db/schema';
import type { MailboxConfig } from './config';

/**
 * One raw message → what the intake queue keeps. Never throws: whatever cannot be read is a
 * `quarantined` result with its reason, so one bad message never stops the reader.
 */
export type Limits = Pick<
  MailboxConfig,
  | 'maxMessageBytes'
  | 'maxHeaderBytes'
  | 'maxAttachmentBytes'
  | 'maxAttachments'
  | 'attachmentTypes'
  | 'maxTextChars'
>;

export interface ParsedAttachment {
  filename: string;
  declaredType: string;
  detectedType: string | null;
  size: number;
  sha256: string;
  refused: MailAttachmentRefusal | null;
  /** null when refused: refused bytes are not kept. */
  content: Buffer | null;
}

export interface ParsedMessage {
  kind: MailItemKind;
  messageId: string | null;
  fromAddress: string | null;
  fromName: string | null;
  subject: string;
  sentAt: string | null;
  text: string;
  inReplyTo: string | null;
  references: string[];
  /** A valid registration number named in the subject or the text (the first one). */
  mentionedRegNo: string | null;
  /** Bounces: the Message-IDs of the messages that bounced. */
  bouncedMessageIds: string[];
  attachments: ParsedAttachment[];
  quarantineReason: string | null;
  rawSize: number;
}

/** The most MIME parts a message may have before it is quarantined. */
const MAX_PARTS = 500;

export function quarantined(
  reason: string,
  rawSize: number,
  partial: Partial<ParsedMessage> = {},
): ParsedMessage {
  return {
    kind: 'quarantined',
    messageId: null,
    fromAddress: null,
    fromName: null,
    subject: '',
    sentAt: null,
    text: '',
    inReplyTo: null,
    references: [],
    mentionedRegNo: null,
    bouncedMessageIds: [],
    attachments: [],
    ...partial,
    quarantineReason: reason,
    rawSize,
  };
}

export async function parseMessage(source: Buffer, limits: Limits): Promise<ParsedMessage> {
  const rawSize = source.length;
  if (rawSize > limits.maxMessageBytes) {
    return quarantined(`too-large: ${rawSize} bytes (limit ${limits.maxMessageBytes})`, rawSize);
  }
  const headerBytes = headerBlockLength(source);
  if (headerBytes > limits.maxHeaderBytes) {
    return quarantined(
      `headers-too-large: ${headerBytes} bytes (limit ${limits.maxHeaderBytes})`,
      rawSize,
    );
  }
  // What a quarantined message still shows (sender, subject), read from its headers alone.
  const summary = async () => headerSummary(source.subarray(0, headerBytes));
  let structure: { charsets: string[]; parts: number };
  try {
    structure = await mimeStructure(source);
  } catch (error) {
    return quarantined(`broken-mime: ${errorText(error)}`, rawSize, await summary());
  }
  if (structure.parts > MAX_PARTS) {
    return quarantined(
      `too-many-parts: ${structure.parts} (limit ${MAX_PARTS})`,
      rawSize,
      await summary(),
    );
  }
  const unknown = structure.charsets.find((cs) => !libmime.createDecodeStream(cs).supported);
  if (unknown !== undefined) {
    return quarantined(`unknown-charset: ${unknown}`, rawSize, await summary());
  }

  let mail: ParsedMail;
  try {
    mail = await simpleParser(source, {
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipTextLinks: true,
      skipImageLinks: true,
      maxHtmlLengthToParse: limits.maxMessageBytes,
    });
  } catch (error) {
    return quarantined(`unparseable: ${errorText(error)}`, rawSize, await summary());
  }

  const from = firstAddress(mail.from);
  const messageId = cleanMessageId(mail.messageId);
  const subject = plain(mail.subject ?? '').slice(0, 998);
  const base = {
    messageId,
    fromAddress: from?.address ?? null,
    fromName: from?.name ?? null,
    subject,
    sentAt:
      mail.date !== undefined && !Number.isNaN(mail.date.getTime())
        ? mail.date.toISOString()
        : null,
    inReplyTo: cleanMessageId(mail.inReplyTo),
    references: (Array.isArray(mail.references)
      ? mail.references
      : mail.references !== undefined
        ? [mail.references]
        : []
    )
      .map(cleanMessageId)
      .filter((id): id is string => id !== null)
      .slice(0, 100),
  };
  if (mail.headers.size === 0 || (from === null && !isBounceShape(mail))) {
    return quarantined('no-sender: the message has no From address', rawSize, base);
  }

  const text = bodyText(mail, limits.maxTextChars);
  if (isBounce(mail, from?.address ?? null)) {
    return {
      ...base,
      kind: 'bounce',
      text,
      mentionedRegNo: null,
      bouncedMessageIds: await bouncedIds(mail),
      attachments: [],
      quarantineReason: null,
      rawSize,
    };
  }
  return {
    ...base,
    kind: isAutomatic(mail) ? 'automatic' : 'citizen',
    text,
    mentionedRegNo: findRegNo(subject) ?? findRegNo(text),
    bouncedMessageIds: [],
    attachments: await checkAttachments(mail, limits),
    quarantineReason: null,
    rawSize,
  };
}

async function headerSummary(headers: Buffer): Promise<Partial<ParsedMessage>> {
  try {
    const mail = await simpleParser(Buffer.concat([headers, Buffer.from('\r\n\r\n')]), {
      skipHtmlToText: true,
      skipTextToHtml: true,
    });
    const from = firstAddress(mail.from);
    return {
      messageId: cleanMessageId(mail.messageId),
      fromAddress: from?.address ?? null,
      fromName: from?.name ?? null,
      subject: plain(mail.subject ?? '').slice(0, 998),
    };
  } catch {
    return {};
  }
}

/** Bytes before the blank line that ends the header block (the whole message if none). */
function headerBlockLength(source: Buffer): number {
  const crlf = source.indexOf('\r\n\r\n');
  const lf = source.indexOf('\n\n');
  const ends = [crlf, lf].filter((i) => i >= 0);
  return ends.length === 0 ? source.length : Math.min(...ends);
}

/** Walks the MIME tree (mailsplit): the charsets of its text parts and how many parts. */
async function mimeStructure(source: Buffer): Promise<{ charsets: string[]; parts: number }> {
  const splitter = new Splitter();
  const charsets = new Set<string>();
  let parts = 0;
  splitter.on(
    'data',
    (chunk: { type: string; charset?: string | false; contentType?: string | false }) => {
      if (chunk.type !== 'node') return;
      parts++;
      const type = chunk.contentType === false ? 'text/plain' : (chunk.contentType ?? 'text/plain');
      if (chunk.charset !== undefined && chunk.charset !== false && type.startsWith('text/')) {
        charsets.add(chunk.charset);
      }
    },
  );
  const done = finished(splitter);
  splitter.end(source);
  await done;
  return { charsets: [...charsets], parts };
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 300);
}

function firstAddress(
  value: AddressObject | AddressObject[] | undefined,
): { address: string; name: string | null } | null {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  for (const object of list) {
    for (const entry of object.value) {
      const address = entry.address?.trim().toLowerCase();
      if (address !== undefined && /^[^\s@]+@[^\s@]+$/.test(address)) {
        const name = plain(entry.name ?? '').trim();
        return { address, name: name === '' ? null : name };
      }
    }
  }
  return null;
}

function cleanMessageId(value: string | undefined): string | null {
  const id = value?.trim();
  if (id === undefined || id === '' || id.length > 500) return null;
  return id.startsWith('<') ? id : `<${id}>`;
}

/** Plain text as stored: no control characters but newlines and tabs, no NUL. */
function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '');
}

/**
 * The text of the message: its text/plain part, else its HTML turned into plain text by
 * html-to-text (a parser, not patterns: scripts, styles and images dropped, links without
 * their addresses). Nothing of the HTML is kept, so nothing of it can run anywhere.
 */
export function bodyText(mail: Pick<ParsedMail, 'text' | 'html'>, maxChars: number): string {
  let text = mail.text?.trim() ?? '';
  if (text === '' && typeof mail.html === 'string' && mail.html !== '') {
    text = htmlToPlainText(mail.html);
  }
  text = plain(text).trim();
  return text.length > maxChars ? `${text.slice(0, maxChars)}\n[… kısaltıldı]` : text;
}

export function htmlToPlainText(html: string): string {
  return htmlToText(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'script', format: 'skip' },
      { selector: 'style', format: 'skip' },
      { selector: 'head', format: 'skip' },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
      { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
    ],
  });
}

/** The first valid registration number ("0000-0018", "00000018") in plain text. */
export function findRegNo(text: string): string | null {
  for (const match of text.matchAll(/(?<!\d)(\d{4})[- ]?(\d{4})(?!\d)/g)) {
    const sequence = parseRegNo(`${match[1]}${match[2]}`);
    if (sequence !== null) return formatRegNo(sequence);
  }
  return null;
}

const header = (mail: ParsedMail, name: string): string => {
  const value = mail.headers.get(name);
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value.trim().toLowerCase();
  if (typeof value === 'object' && 'value' in value && typeof value.value === 'string') {
    return value.value.trim().toLowerCase();
  }
  return String(value).trim().toLowerCase();
};

/** RFC 3834 and the common vendor headers: mail that must never be answered. */
function isAutomatic(mail: ParsedMail): boolean {
  const autoSubmitted = header(mail, 'auto-submitted');
  if (autoSubmitted !== '' && autoSubmitted !== 'no') return true;
  if (['bulk', 'list', 'junk', 'auto_reply'].includes(header(mail, 'precedence'))) return true;
  // mailparser gathers List-Id, List-Unsubscribe and the other List-* headers under 'list'.
  const list = mail.headers.get('list');
  if (typeof list === 'object' && list !== null && ('id' in list || 'unsubscribe' in list)) {
    return true;
  }
  return mail.headers.has('x-autoreply') || mail.headers.has('x-autorespond');
}

function isBounceShape(mail: ParsedMail): boolean {
  const type = mail.headers.get('content-type');
  if (typeof type === 'object' && type !== null && 'value' in type && 'params' in type) {
    const params = (type as { params: Record<string, string> }).params;
    return (
      String(type.value).toLowerCase() === 'multipart/report' &&
      (params['report-type'] ?? '').toLowerCase() === 'delivery-status'
    );
  }
  return false;
}

function isBounce(mail: ParsedMail, from: string | null): boolean {
  if (isBounceShape(mail)) return true;
  const local = from?.split('@')[0] ?? '';
  return local === 'mailer-daemon' || local === 'postmaster';
}

/** The Message-IDs of the bounced messages, from the returned message or its headers. */
async function bouncedIds(mail: ParsedMail): Promise<string[]> {
  const ids = new Set<string>();
  for (const attachment of mail.attachments) {
    const type = attachment.contentType.toLowerCase();
    if (type !== 'message/rfc822' && type !== 'text/rfc822-headers') continue;
    try {
      const inner = await simpleParser(
        type === 'text/rfc822-headers'
          ? Buffer.concat([attachment.content, Buffer.from('\r\n\r\n')])
          : attachment.content,
        { skipHtmlToText: true, skipTextToHtml: true },
      );
      const id = cleanMessageId(inner.messageId);
      if (id !== null) ids.add(id);
    } catch {
      // A report we cannot read names nothing.
    }
  }
  return [...ids];
}

async function checkAttachments(mail: ParsedMail, limits: Limits): Promise<ParsedAttachment[]> {
  const allowed = new Set(limits.attachmentTypes);
  const result: ParsedAttachment[] = [];
  for (const attachment of mail.attachments) {
    const content = attachment.content;
    const declaredType = attachment.contentType.toLowerCase().slice(0, 200);
    const filename = plain(attachment.filename ?? '')
      .replace(/[/\\]/g, '_')
      .trim()
      .slice(0, 200);
    const detected =
      (await fileTypeFromBuffer(content))?.mime ?? plainTextType(content, declaredType);
    let refused: MailAttachmentRefusal | null = null;
    if (result.filter((a) => a.refused === null).length >= limits.maxAttachments)
      refused = 'too-many';
    else if (content.length > limits.maxAttachmentBytes) refused = 'too-large';
    else if (detected === null || !allowed.has(detected)) refused = 'type';
    result.push({
      filename: filename === '' ? `ek-${result.length + 1}` : filename,
      declaredType,
      detectedType: detected,
      size: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
      refused,
      content: refused === null ? content : null,
    });
  }
  return result;
}

/** Text has no magic number: declared text/plain that is valid UTF-8 without NULs counts. */
function plainTextType(content: Buffer, declaredType: string): string | null {
  if (declaredType !== 'text/plain' || content.includes(0)) return null;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(content);
    return 'text/plain';
  } catch {
    return null;
  }
}
