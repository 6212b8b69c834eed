/**
 * Starts the central API (startServer, SQLite in a temporary directory, port 0) once and prints
 * which of the mailbox's heavy packages (imapflow, mailparser, file-type) were loaded, as JSON
 * `{"loaded":[…]}`, then stops. Run by src/server/mailbox/lazy-load.test.ts as
 * `node --import tsx`, with LAZY_MAILBOX=1 to configure a mailbox (on a closed loopback port).
 */
import fs from 'node:fs';
import { register } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';

const loaded = new Set<string>();
const { port1, port2 } = new MessageChannel();
port1.on('message', (specifier: string) => loaded.add(specifier));
port1.unref();
const hooks = `
let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  if (/^(imapflow|mailparser|file-type)$/.test(specifier)) port.postMessage(specifier);
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, {
  data: { port: port2 },
  transferList: [port2],
});

const { startServer } = await import('../../src/server/start');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-lazy-'));
const server = await startServer({
  sqliteFile: path.join(dir, 'server.sqlite'),
  port: 0,
  logLevel: 'silent',
  ...(process.env.LAZY_MAILBOX === '1'
    ? {
        mailbox: {
          mailboxes: [
            {
              name: 'alo153',
              host: '127.0.0.1',
              port: 9,
              tls: 'none',
              user: 'alo153',
              password: 'x',
              folder: 'INBOX',
            },
          ],
        },
      }
    : {}),
});
await new Promise((r) => setTimeout(r, 200));
await server.close();
fs.rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ loaded: [...loaded].sort() })}\n`);
