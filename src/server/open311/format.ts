import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { XMLBuilder } from 'fast-xml-parser';
import { ApiError, RequestValidationError } from '../http/errors';

/**
 * Open311 answers in the format the path names (`/services.xml`, `/requests/0012-3454.json`).
 * XML is the spec's required format; it is also what errors use when the path names neither.
 */
export type Format = 'json' | 'xml';

export function parseFormat(text: string): Format | null {
  return text === 'json' || text === 'xml' ? text : null;
}

/** `yol.cukur.json` → `{ id: 'yol.cukur', format: 'json' }`; null without a known extension. */
export function splitFormat(file: string): { id: string; format: Format } | null {
  const match = /^(.+)\.(json|xml)$/.exec(file);
  if (match === null) return null;
  return { id: match[1] ?? '', format: match[2] === 'json' ? 'json' : 'xml' };
}

/** The format an error should use: the request path's extension, XML otherwise. */
export function formatOfRequest(request: FastifyRequest): Format {
  const path = request.url.split('?')[0] ?? '';
  return path.endsWith('.json') ? 'json' : 'xml';
}

/** One Open311 error: `code` is the HTTP status, `description` names the field and the problem. */
export interface Open311ErrorItem {
  code: number;
  description: string;
}

/** What the Open311 routes throw; the plugin's error handler answers it in the spec's shape. */
export class Open311Error extends Error {
  readonly statusCode: number;
  readonly items: readonly Open311ErrorItem[];

  constructor(statusCode: number, descriptions: string | readonly string[]) {
    const list = typeof descriptions === 'string' ? [descriptions] : descriptions;
    super(list.join('; '));
    this.name = 'Open311Error';
    this.statusCode = statusCode;
    this.items = list.map((description) => ({ code: statusCode, description }));
  }
}

export const badRequest = (descriptions: string | readonly string[]) =>
  new Open311Error(400, descriptions);
export const notFound = (description: string) => new Open311Error(404, description);
export const forbidden = (description: string) => new Open311Error(403, description);

/** Maps anything thrown inside the Open311 plugin to a status and spec-shaped errors. */
export function toOpen311Error(error: unknown): Open311Error {
  if (error instanceof Open311Error) return error;
  if (error instanceof ApiError) {
    return new Open311Error(error.statusCode, error.extra.userMessage ?? error.message);
  }
  if (error instanceof RequestValidationError) {
    return badRequest(
      error.zodError.issues.map(
        (i) => `${i.path.length > 0 ? i.path.join('.') : 'request'}: ${i.message}`,
      ),
    );
  }
  const fastifyError = error as Partial<FastifyError>;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new Open311Error(413, 'İstek gövdesi izin verilen boyutu aşıyor.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new Open311Error(
        415,
        'Desteklenmeyen içerik türü; application/x-www-form-urlencoded gönderin.',
      );
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return badRequest('İstek gövdesi geçerli JSON değil.');
  }
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new Open311Error(status, fastifyError.message ?? 'Geçersiz istek.');
  }
  return new Open311Error(500, 'Beklenmeyen bir sunucu hatası oluştu.');
}

/** A value as the XML builder should see it: text, or nested elements. */
export type XmlValue = string | number | boolean | null | XmlNode | readonly XmlValue[];
export interface XmlNode {
  readonly [element: string]: XmlValue;
}

const builder = new XMLBuilder({ format: true, suppressEmptyNode: false, ignoreAttributes: false });

// Control characters (XML 1.0 cannot carry most of them, even escaped), lone surrogates and
// non-characters are dropped from text; tab, newline and carriage return stay.
const XML_UNSAFE = /[\p{Cc}\p{Cs}\uFFFE\uFFFF]/gu;
const KEPT = new Set(['\t', '\n', '\r']);

function xmlReady(value: XmlValue): unknown {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value.replace(XML_UNSAFE, (ch) => (KEPT.has(ch) ? ch : ''));
  if (Array.isArray(value)) return value.map((v: XmlValue) => xmlReady(v));
  return Object.fromEntries(Object.entries(value as XmlNode).map(([key, v]) => [key, xmlReady(v)]));
}

/** A UTF-8 XML document with the declaration the spec requires; text is escaped by the builder. */
export function xmlDocument(root: string, content: XmlNode): string {
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    [root]: xmlReady(content),
  }) as string;
}

export const XML_TYPE = 'text/xml; charset=utf-8';
export const JSON_TYPE = 'application/json; charset=utf-8';

/** Sends one resource in the requested format: `json` as is, `xml` under `root`. */
export function sendAs(
  reply: FastifyReply,
  format: Format,
  body: { json: unknown; xmlRoot: string; xml: XmlNode },
  status = 200,
): FastifyReply {
  if (format === 'json') {
    return reply.status(status).type(JSON_TYPE).send(JSON.stringify(body.json));
  }
  return reply.status(status).type(XML_TYPE).send(xmlDocument(body.xmlRoot, body.xml));
}

export function sendErrors(reply: FastifyReply, format: Format, error: Open311Error): FastifyReply {
  return sendAs(
    reply,
    format,
    {
      json: error.items,
      xmlRoot: 'errors',
      xml: { error: error.items.map((i) => ({ code: i.code, description: i.description })) },
    },
    error.statusCode,
  );
}
