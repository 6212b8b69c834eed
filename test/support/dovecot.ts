/**
 * A real IMAP server for the mailbox tests: Debian's Dovecot 2.3, started on loopback in a
 * temporary directory with its own dovecot.conf, a passwd-file of users, a self-signed
 * certificate (IMAP over implicit TLS) and an LMTP listener through which tests deliver mail
 * (never by writing into the maildir). `restart()` stops and starts the same server on the same
 * ports with the same mail, as an administrator restarting it would.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';

export interface DovecotUser {
  user: string;
  password: string;
}

export interface Dovecot {
  host: string;
  imapsPort: number;
  lmtpPort: number;
  /** PEM of the self-signed certificate: the reader's CA file. */
  caFile: string;
  users: DovecotUser[];
  /** Delivers a raw RFC 5322 message to `to` over LMTP. */
  deliver(to: string, raw: string | Buffer, from?: string): Promise<void>;
  /** Composes (nodemailer) and delivers a message over LMTP; returns its Message-ID. */
  send(message: SendMailOptions): Promise<string>;
  stop(): Promise<void>;
  start(): Promise<void>;
  restart(): Promise<void>;
  /** Stops the server and removes its directory. */
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`dovecot did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function waitForClosed(port: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (!open) return;
    if (Date.now() > end) throw new Error(`dovecot still listens on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startDovecot(
  users: DovecotUser[] = [{ user: 'alo153', password: 'posta-sifresi' }],
): Promise<Dovecot> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-dovecot-'));
  // The mail processes run as nobody: they must reach the mail directory.
  fs.chmodSync(dir, 0o755);
  const mailDir = path.join(dir, 'mail');
  fs.mkdirSync(mailDir);
  fs.chownSync(mailDir, 65534, 65534);
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  const ssl = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { encoding: 'utf8' },
  );
  if (ssl.status !== 0) throw new Error(`openssl failed: ${ssl.stderr}`);
  fs.writeFileSync(
    path.join(dir, 'passwd'),
    users.map((u) => `${u.user}:{PLAIN}${u.password}::::::\n`).join(''),
  );
  const imapsPort = await freePort();
  const lmtpPort = await freePort();
  const conf = path.join(dir, 'dovecot.conf');
  fs.writeFileSync(
    conf,
    `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
instance_name = alo153-test-${path.basename(dir)}
protocols = imap lmtp
listen = 127.0.0.1
ssl = required
ssl_cert = <${certFile}
ssl_key = <${keyFile}
ssl_min_protocol = TLSv1.2
default_internal_user = dovecot
default_internal_group = dovecot
default_login_user = dovenull
first_valid_uid = 100
mail_location = maildir:${mailDir}/%n
mailbox_idle_check_interval = 1 secs
auth_mechanisms = plain login
postmaster_address = postmaster@alo153.test
lmtp_rcpt_check_quota = no
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%n ${dir}/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%n ${dir}/passwd
  default_fields = uid=65534 gid=65534 home=${mailDir}/%n
}
service imap-login {
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${imapsPort}
    ssl = yes
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = ${lmtpPort}
  }
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
`,
  );

  let child: ChildProcess | null = null;
  const start = async () => {
    // Its own process group: stopping it ends every process it started, as systemd does.
    const proc = spawn('/usr/sbin/dovecot', ['-F', '-c', conf], {
      stdio: 'ignore',
      detached: true,
    });
    child = proc;
    const exited = new Promise<never>((_, reject) =>
      proc.once('exit', (code) => {
        const log = fs.existsSync(path.join(dir, 'dovecot.log'))
          ? fs.readFileSync(path.join(dir, 'dovecot.log'), 'utf8').slice(-2000)
          : '';
        reject(new Error(`dovecot exited (${code}): ${log}`));
      }),
    );
    exited.catch(() => undefined);
    await Promise.race([
      Promise.all([waitForPort(imapsPort, 15_000), waitForPort(lmtpPort, 15_000)]),
      exited,
    ]);
  };
  const stop = async () => {
    const proc = child;
    child = null;
    if (proc === null || proc.exitCode !== null) return;
    const gone = new Promise((resolve) => proc.once('exit', resolve));
    const group = -(proc.pid ?? 0);
    process.kill(group, 'SIGTERM');
    await gone;
    // Dovecot's master leaves its imap processes to finish; a restarted server has none.
    try {
      process.kill(group, 'SIGKILL');
    } catch {
      // the group is gone already
    }
    await waitForClosed(imapsPort, 10_000);
  };
  await start();

  const lmtp = () =>
    nodemailer.createTransport({
      host: '127.0.0.1',
      port: lmtpPort,
      lmtp: true,
      secure: false,
      ignoreTLS: true,
      name: 'alo153.test',
    });
  return {
    host: '127.0.0.1',
    imapsPort,
    lmtpPort,
    caFile: certFile,
    users,
    deliver: async (to, raw, from = 'gonderen@ornek.test') => {
      const transport = lmtp();
      try {
        await transport.sendMail({ envelope: { from, to: [to] }, raw });
      } finally {
        transport.close();
      }
    },
    send: async (message) => {
      const transport = lmtp();
      try {
        const info = await transport.sendMail(message);
        return info.messageId;
      } finally {
        transport.close();
      }
    },
    stop,
    start,
    restart: async () => {
      await stop();
      await start();
    },
    close: async () => {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
