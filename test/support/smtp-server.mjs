// A real SMTP server in its own process, for tests of the e-mail channel (nodemailer talks to it
// over a loopback TCP socket exactly as it would to the municipality's mail relay).
//
//   node test/support/smtp-server.mjs <dir> [--user U --password P] [--reject REGEX]
//
// Listens on 127.0.0.1 (an ephemeral port) and prints one line `{"port":N}` when ready. Every
// accepted message is stored as <dir>/<n>.eml (the raw message, written atomically) with its
// envelope in <dir>/<n>.json. With --user, AUTH is required (plain text is allowed: loopback
// only). Recipients matching --reject are refused with "550 mailbox unavailable". SIGTERM stops
// it. Parse the .eml with mailparser.
import { Buffer } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { SMTPServer } from 'smtp-server';

const args = process.argv.slice(2);
const dir = args[0];
if (dir === undefined || dir.startsWith('--')) {
  process.stderr.write('usage: smtp-server.mjs <dir> [--user U --password P] [--reject REGEX]\n');
  process.exit(2);
}
const option = (name) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? undefined : args[i + 1];
};
const user = option('user');
const password = option('password') ?? '';
const reject = option('reject') === undefined ? null : new RegExp(option('reject'));
fs.mkdirSync(dir, { recursive: true });

let count = 0;
const smtpError = (code, message) => Object.assign(new Error(message), { responseCode: code });

const server = new SMTPServer({
  secure: false,
  // No TLS on loopback: the test certificate would only be self-signed.
  disabledCommands: user === undefined ? ['STARTTLS', 'AUTH'] : ['STARTTLS'],
  authOptional: user === undefined,
  allowInsecureAuth: true,
  logger: false,
  size: 5 * 1024 * 1024,
  onAuth(auth, _session, callback) {
    if (auth.username === user && auth.password === password) callback(null, { user });
    else callback(smtpError(535, 'Authentication credentials invalid'));
  },
  onRcptTo(address, _session, callback) {
    if (reject !== null && reject.test(address.address)) {
      callback(smtpError(550, `Mailbox unavailable: ${address.address}`));
    } else callback();
  },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('error', (error) => callback(error));
    stream.on('end', () => {
      if (stream.sizeExceeded) {
        callback(smtpError(552, 'Message too large'));
        return;
      }
      count += 1;
      const name = String(count).padStart(4, '0');
      const envelope = {
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
        to: session.envelope.rcptTo.map((r) => r.address),
        user: session.user ?? null,
      };
      // Written under a temporary name and renamed, so a reader never sees half a message.
      const write = (file, data) => {
        fs.writeFileSync(path.join(dir, `.${file}.tmp`), data);
        fs.renameSync(path.join(dir, `.${file}.tmp`), path.join(dir, file));
      };
      write(`${name}.json`, JSON.stringify(envelope));
      write(`${name}.eml`, Buffer.concat(chunks));
      callback(null, `Message queued as test-${name}`);
    });
  },
});

server.on('error', (error) => process.stderr.write(`smtp-server: ${error.message}\n`));
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.server.address().port })}\n`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
