import type { SmsConfig } from '../config';
import { clip, type ChannelSender, type OutgoingMessage, type SendResult } from './types';

/**
 * SMS through an HTTP provider (README.md, "SMS provider adapter"). One POST per message:
 *
 *   POST {url}   Authorization: Basic …   Idempotency-Key: {notification id}
 *   { "sender": "ALO 153", "to": "+905321234567", "text": "…", "reference": "{notification id}" }
 *
 * as JSON or form fields. A 2xx answer means accepted; the provider's message id is read from
 * `messageId`, `id` or `jobId` of a JSON answer, or from a short plain-text answer.
 */
export class HttpSmsSender implements ChannelSender {
  readonly channel = 'sms' as const;
  readonly #config: SmsConfig;
  readonly #fetch: typeof fetch;

  constructor(config: SmsConfig, fetchImpl: typeof fetch = fetch) {
    this.#config = config;
    this.#fetch = fetchImpl;
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const c = this.#config;
    const fields: Record<string, string> = {
      sender: c.sender,
      to: formatNumber(message.recipient, c.numberFormat),
      text: message.body,
      reference: message.id,
    };
    const headers: Record<string, string> = {
      accept: 'application/json, text/plain;q=0.9',
      'idempotency-key': message.id,
    };
    if (c.credentials === 'body') {
      fields.username = c.user ?? '';
      fields.password = c.password ?? '';
    } else if (c.user !== undefined) {
      const token = Buffer.from(`${c.user}:${c.password ?? ''}`, 'utf8').toString('base64');
      headers.authorization = `Basic ${token}`;
    }
    let body: string;
    if (c.format === 'form') {
      headers['content-type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
      body = new URLSearchParams(fields).toString();
    } else {
      headers['content-type'] = 'application/json;charset=UTF-8';
      body = JSON.stringify(fields);
    }

    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(c.url, {
        method: 'POST',
        headers,
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(c.timeoutSeconds * 1000),
      });
      text = await response.text();
    } catch (error) {
      const e = error as Error;
      const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError';
      return {
        ok: false,
        permanent: false,
        error: timedOut
          ? `SMS sağlayıcısı ${c.timeoutSeconds} saniyede yanıt vermedi.`
          : `SMS sağlayıcısına ulaşılamadı: ${clip(causeOf(e))}`,
      };
    }
    return interpretSmsResponse(response.status, text);
  }
}

/**
 * The generic provider contract. 401/403 mean our credentials or sender name are wrong: a
 * configuration problem retried like an outage, so receipts go out once it is fixed. 408, 425
 * and 429 are transient. Any other 4xx refuses this message for good (e.g. an invalid number).
 */
export function interpretSmsResponse(status: number, text: string): SendResult {
  const detail = clip(providerMessage(text));
  if (status >= 200 && status < 300) return { ok: true, providerMessageId: messageIdOf(text) };
  if (status === 401 || status === 403) {
    return {
      ok: false,
      permanent: false,
      error: `SMS sağlayıcısı kimlik bilgilerini veya başlığı kabul etmedi (HTTP ${status}): ${detail}`,
    };
  }
  if (status >= 400 && status < 500 && ![408, 425, 429].includes(status)) {
    return {
      ok: false,
      permanent: true,
      error: `SMS sağlayıcısı mesajı reddetti (HTTP ${status}): ${detail}`,
    };
  }
  return {
    ok: false,
    permanent: false,
    error: `SMS sağlayıcısı hatası (HTTP ${status}): ${detail}`,
  };
}

function messageIdOf(text: string): string | null {
  const json = parseJson(text);
  if (json !== undefined) {
    for (const key of ['messageId', 'id', 'jobId', 'jobid']) {
      const value = json[key];
      if (typeof value === 'string' || typeof value === 'number') return String(value);
    }
    return null;
  }
  const plain = text.trim();
  return plain !== '' && plain.length <= 100 && !/\s/.test(plain) ? plain : null;
}

function providerMessage(text: string): string {
  const json = parseJson(text);
  for (const key of ['error', 'message', 'description']) {
    const value = json?.[key];
    if (typeof value === 'string') return value;
  }
  if (text.trim() === '' || (json !== undefined && Object.keys(json).length === 0)) {
    return '(açıklama yok)';
  }
  return text;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function causeOf(error: Error): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? error.message;
}

/** +905321234567 → as the provider wants it. */
export function formatNumber(e164: string, format: SmsConfig['numberFormat']): string {
  const digits = e164.replace(/\D/g, '');
  switch (format) {
    case 'e164':
      return `+${digits}`;
    case 'digits':
      return digits;
    case 'national':
      return digits.startsWith('90') ? digits.slice(2) : digits;
  }
}
