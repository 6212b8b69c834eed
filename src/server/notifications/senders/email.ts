import nodemailer, { type NodemailerError, type SMTPTransportOptions } from 'nodemailer';
import type { SmtpConfig } from '../config';
import { clip, type ChannelSender, type OutgoingMessage, type SendResult } from './types';

/**
 * E-mail over SMTP with nodemailer. Plain text only (nothing to escape, nothing to render
 * wrongly). The Message-ID is derived from the notification id, so a message re-sent after a
 * crash carries the same id and a mail client can recognise the duplicate; `Auto-Submitted`
 * keeps auto-responders from answering.
 */
export class SmtpEmailSender implements ChannelSender {
  readonly channel = 'email' as const;
  readonly #transport: ReturnType<typeof nodemailer.createTransport>;
  readonly #from: string;
  readonly #idDomain: string;

  constructor(config: SmtpConfig) {
    this.#transport = nodemailer.createTransport(transportOptions(config));
    this.#from = config.from;
    this.#idDomain = /@([^>\s]+)/.exec(config.from)?.[1] ?? 'alo153.invalid';
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    try {
      const info = await this.#transport.sendMail({
        from: this.#from,
        to: message.recipient,
        subject: message.subject ?? '',
        text: message.body,
        messageId: `<${message.id}@${this.#idDomain}>`,
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Alo153-Notification': message.id },
        // A ŞÖK registered from the citizen's e-mail is answered in that thread (docs/mailbox.md).
        ...(message.thread != null
          ? { inReplyTo: message.thread.inReplyTo, references: message.thread.references }
          : {}),
      });
      const rejected = (info.rejected ?? []).map(String);
      if (rejected.length > 0) {
        return { ok: false, permanent: true, error: `Alıcı reddedildi: ${rejected.join(', ')}` };
      }
      return { ok: true, providerMessageId: info.messageId ?? null };
    } catch (error) {
      return classifySmtpError(error as NodemailerError);
    }
  }

  async close(): Promise<void> {
    this.#transport.close();
  }
}

export function transportOptions(config: SmtpConfig): SMTPTransportOptions {
  const options: SMTPTransportOptions = {};
  if (config.url !== undefined) {
    const url = new URL(config.url);
    options.host = url.hostname;
    options.secure = url.protocol === 'smtps:';
    if (url.port !== '') options.port = Number(url.port);
    if (url.username !== '') {
      options.auth = {
        user: decodeURIComponent(url.username),
        pass: decodeURIComponent(url.password),
      };
    }
  }
  if (config.host !== undefined) options.host = config.host;
  if (config.port !== undefined) options.port = config.port;
  if (config.secure !== undefined) options.secure = config.secure;
  if (config.user !== undefined) options.auth = { user: config.user, pass: config.password ?? '' };
  options.requireTLS = config.requireTls;
  const ms = config.timeoutSeconds * 1000;
  options.connectionTimeout = ms;
  options.greetingTimeout = ms;
  options.socketTimeout = ms;
  return options;
}

/**
 * SMTP 5xx (except 503) is the server refusing this message for good; 4xx, lost connections and
 * timeouts are worth another try. A refused login is a configuration problem, not the message's:
 * it is retried (and logged) so receipts go out once the password is fixed.
 */
export function classifySmtpError(error: NodemailerError): SendResult {
  const detail = clip(error.response ?? error.message);
  if (error.code === 'EAUTH' || error.code === 'ENOAUTH') {
    return { ok: false, permanent: false, error: `SMTP kimlik doğrulaması başarısız: ${detail}` };
  }
  if (error.permanent === true) {
    return { ok: false, permanent: true, error: `SMTP sunucusu reddetti: ${detail}` };
  }
  return { ok: false, permanent: false, error: `E-posta gönderilemedi: ${detail}` };
}
