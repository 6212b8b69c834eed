import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP server that speaks the generic SMS provider API of
 * src/server/notifications/README.md and records every request it gets.
 *
 * This is the one fake the project allows: a real Turkish SMS provider cannot be reached from a
 * test (and would text real phones). Everything on our side of the HTTP request — the adapter,
 * fetch, timeouts, status handling — runs for real against it. It checks what a provider checks
 * (method, path, credentials, required fields) so a broken request fails the test.
 */
export interface CapturedSms {
  /** Status this request was answered with. */
  status: number;
  contentType: string;
  /** Basic-auth or body credentials, whichever came. */
  user: string | null;
  password: string | null;
  idempotencyKey: string | null;
  /** The decoded body fields (JSON or form). */
  fields: Record<string, string>;
}

export interface ScriptedResponse {
  status: number;
  body?: unknown;
  /** Answer only after this long (to test timeouts). */
  delayMs?: number;
}

export interface SmsCapture {
  url: string;
  /** Every request, in arrival order (refused ones too). */
  readonly requests: CapturedSms[];
  /** Only the accepted messages. */
  accepted(): CapturedSms[];
  /** Answers the next requests with these, in order; then 200 `{ messageId }` again. */
  script(...responses: ScriptedResponse[]): void;
  /** Resolves once at least `count` requests arrived; rejects after `timeoutMs`. */
  waitForRequests(count: number, timeoutMs?: number): Promise<CapturedSms[]>;
  close(): Promise<void>;
}

/**
 * Starts the capture server on 127.0.0.1 (an ephemeral port). `user`/`password`: the
 * credentials it demands (401 otherwise); `delayMs`: a delay before each normal answer.
 */
export async function startSmsCapture(
  options: { user?: string; password?: string; path?: string; delayMs?: number } = {},
): Promise<SmsCapture> {
  const expectedPath = options.path ?? '/sms/send';
  const requests: CapturedSms[] = [];
  const scripted: ScriptedResponse[] = [];
  const waiters = new Set<() => void>();
  let accepted = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number, body: unknown, record: CapturedSms | null) => {
        if (record !== null) {
          record.status = status;
          requests.push(record);
          for (const wake of waiters) wake();
        }
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || req.url !== expectedPath) {
        answer(404, { error: 'Bilinmeyen adres' }, null);
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      const contentType = req.headers['content-type'] ?? '';
      let fields: Record<string, string>;
      try {
        if (contentType.startsWith('application/json')) {
          fields = JSON.parse(raw) as Record<string, string>;
        } else if (contentType.startsWith('application/x-www-form-urlencoded')) {
          fields = Object.fromEntries(new URLSearchParams(raw));
        } else {
          answer(415, { error: 'Desteklenmeyen içerik türü' }, null);
          return;
        }
      } catch {
        answer(400, { error: 'Bozuk JSON' }, null);
        return;
      }
      let user: string | null = fields.username ?? null;
      let password: string | null = fields.password ?? null;
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
      if (basic?.[1] !== undefined) {
        const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        user = decoded.slice(0, colon);
        password = decoded.slice(colon + 1);
      }
      const record: CapturedSms = {
        status: 0,
        contentType,
        user,
        password,
        idempotencyKey: (req.headers['idempotency-key'] as string | undefined) ?? null,
        fields,
      };
      if (options.user !== undefined && (user !== options.user || password !== options.password)) {
        answer(401, { error: 'Geçersiz kullanıcı adı veya şifre' }, record);
        return;
      }
      if (!fields.sender || !fields.to || !fields.text) {
        answer(400, { error: 'sender, to ve text zorunludur' }, record);
        return;
      }
      const next = scripted.shift();
      if (next !== undefined) {
        setTimeout(() => answer(next.status, next.body ?? {}, record), next.delayMs ?? 0);
        return;
      }
      accepted += 1;
      const messageId = `cap-${accepted}`;
      setTimeout(() => answer(200, { messageId }, record), options.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${expectedPath}`,
    requests,
    accepted: () => requests.filter((r) => r.status >= 200 && r.status < 300),
    script: (...responses) => {
      scripted.push(...responses);
    },
    waitForRequests: (count, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (requests.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve([...requests]);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} SMS requests, got ${requests.length}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
