/**
 * The SIP test rig: Kamailio (SIP over UDP, WS and WSS on 127.0.0.1, digest auth) and rtpengine
 * (userspace, bridging WebRTC media to plain RTP), started from resources/sip/kamailio.cfg with
 * users and certificates generated in a temp dir, and stopped again by the tests.
 *
 * It refuses to run outside a loopback-only network namespace (test/sip/run-in-netns.sh), so a
 * test can never send SIP or RTP anywhere but loopback.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const KAMAILIO_CFG = path.join(repoRoot, 'resources/sip/kamailio.cfg');
export const SIP_DOMAIN = 'alo153.test';

export interface SipRigOptions {
  /** SIP user → password; every user registers at SIP_DOMAIN. */
  users: Record<string, string>;
  /** Generate a self-signed certificate and listen for WSS too (default: true). */
  wss?: boolean;
  /**
   * Report calls Kamailio could not deliver to an agent to the central API at `url`
   * (POST /calls/undelivered) with this API key (see resources/sip/kamailio.cfg).
   */
  undelivered?: { url: string; apiKey: string };
  /**
   * Calls from outside to `number` ask the call line's API at `url` who to ring (POST /line/calls,
   * docs/telephony.md) with this API key.
   */
  line?: {
    url: string;
    apiKey: string;
    number: string;
    /** Callers who wait hear resources/sounds/line-waiting.wav as early media (rtpengine). */
    announcement?: boolean;
  };
}

export interface SipRig {
  domain: string;
  /** ws://127.0.0.1:<port> */
  wsUrl: string;
  /** wss://127.0.0.1:<port>, when a certificate could be generated. */
  wssUrl: string | null;
  /** Plain SIP over UDP, for ordinary phones (baresip, sipp). */
  udpPort: number;
  dir: string;
  /** Stops Kamailio (dropping every registration and connection) and starts it again. */
  restartKamailio(downMs?: number): Promise<void>;
  /** Kamailio's and rtpengine's output so far, for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

/** Throws unless the only network interface is loopback (see run-in-netns.sh). */
export function assertLoopbackOnly(): void {
  const names = Object.keys(os.networkInterfaces()).filter((n) => n !== 'lo');
  if (names.length > 0) {
    throw new Error(
      `SIP tests must run in a loopback-only network namespace (found ${names.join(', ')}): ` +
        'run them through test/sip/run-in-netns.sh',
    );
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A child process whose output is kept (bounded) for diagnostics. */
class Daemon {
  private child: ChildProcess | null = null;
  private out = '';

  constructor(
    readonly name: string,
    private readonly cmd: string,
    private readonly args: string[],
    private readonly cwd: string,
  ) {}

  start(): void {
    const child = spawn(this.cmd, this.args, { cwd: this.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (d: Buffer) => {
      this.out = (this.out + d.toString()).slice(-200_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code, signal) =>
      keep(Buffer.from(`\n[${this.name} exited ${code ?? signal}]\n`)),
    );
    this.child = child;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  log(): string {
    return `----- ${this.name} -----\n${this.out}`;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    this.child = null;
  }
}

async function waitFor(what: string, probe: () => Promise<boolean>, daemon: Daemon, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!daemon.running) throw new Error(`${what} exited during start-up\n${daemon.log()}`);
    if (await probe().catch(() => false)) return;
    await sleep(50);
  }
  throw new Error(`${what} not ready after ${ms} ms\n${daemon.log()}`);
}

/** Sends one UDP datagram and resolves with the first answer (or null after timeoutMs). */
function udpAsk(port: number, payload: string, timeoutMs = 300): Promise<string | null> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4');
    const done = (v: string | null) => {
      clearTimeout(timer);
      sock.close();
      resolve(v);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    sock.on('message', (m) => done(m.toString()));
    sock.on('error', () => done(null));
    sock.send(payload, port, '127.0.0.1');
  });
}

function sipOptions(port: number): Promise<boolean> {
  const branch = `z9hG4bK${Math.random().toString(36).slice(2)}`;
  const msg =
    `OPTIONS sip:127.0.0.1:${port} SIP/2.0\r\n` +
    `Via: SIP/2.0/UDP 127.0.0.1:9;branch=${branch};rport\r\n` +
    `Max-Forwards: 5\r\nFrom: <sip:rig@127.0.0.1>;tag=rig\r\nTo: <sip:127.0.0.1:${port}>\r\n` +
    `Call-ID: ${branch}@rig\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`;
  return udpAsk(port, msg).then((r) => r?.startsWith('SIP/2.0 200') ?? false);
}

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * Drops every TCP packet to and from `port` on loopback (iptables, inside the test's own network
 * namespace): the connections through it stay open but nothing arrives, like a pulled cable or a
 * NAT that forgot the flow. Returns the function that lets packets through again.
 */
export function blackholeTcpPort(port: number): () => void {
  assertLoopbackOnly();
  const rules = [
    ['INPUT', '-p', 'tcp', '--dport', String(port), '-j', 'DROP'],
    ['INPUT', '-p', 'tcp', '--sport', String(port), '-j', 'DROP'],
  ];
  try {
    for (const rule of rules) execFileSync('iptables', ['-w', '-I', ...rule], { stdio: 'pipe' });
  } catch (e) {
    throw new Error(
      `iptables is needed to cut the agent's link in the SIP tests (apt-get install iptables): ${String(e)}`,
      { cause: e },
    );
  }
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    for (const rule of rules) execFileSync('iptables', ['-w', '-D', ...rule], { stdio: 'pipe' });
  };
}

/** db_text tables for auth_db: plain passwords, Kamailio computes HA1 (calculate_ha1). */
function writeUsers(dbDir: string, users: Record<string, string>): void {
  fs.mkdirSync(dbDir, { recursive: true });
  fs.writeFileSync(
    path.join(dbDir, 'version'),
    'id(int,auto) table_name(string) table_version(int)\n0:subscriber:7\n0:location:9\n',
  );
  const rows = Object.entries(users).map(([user, password], i) => {
    if (/[:\n\\]/.test(user + password)) throw new Error(`unsupported character in user ${user}`);
    return `${i + 1}:${user}:${SIP_DOMAIN}:${password}::`;
  });
  fs.writeFileSync(
    path.join(dbDir, 'subscriber'),
    'id(int,auto) username(string) domain(string) password(string) ha1(string,null) ha1b(string,null)\n' +
      rows.join('\n') +
      '\n',
  );
}

function writeCertificate(dir: string): { cert: string; key: string } | null {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    return { cert, key };
  } catch {
    return null;
  }
}

export async function startSipRig(options: SipRigOptions): Promise<SipRig> {
  assertLoopbackOnly();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-sip-'));
  const [udpPort, wsPort, wssPort, ngPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ] as [number, number, number, number];
  const rtpBase = 20_000 + Math.floor(Math.random() * 200) * 100;

  writeUsers(path.join(dir, 'db'), options.users);
  const tls = options.wss === false ? null : writeCertificate(dir);
  if (tls) {
    fs.writeFileSync(
      path.join(dir, 'tls.cfg'),
      `[server:default]\nmethod = TLSv1.2+\nverify_certificate = no\nrequire_certificate = no\n` +
        `private_key = ${tls.key}\ncertificate = ${tls.cert}\n\n` +
        `[client:default]\nmethod = TLSv1.2+\nverify_certificate = no\nrequire_certificate = no\n`,
    );
  }
  const subst = (name: string, value: string | number) => `#!substdef "!${name}!${value}!g"\n`;
  fs.writeFileSync(
    path.join(dir, 'rig-params.cfg'),
    subst('SIP_DOMAIN', SIP_DOMAIN) +
      subst('UDP_PORT', udpPort) +
      subst('WS_PORT', wsPort) +
      subst('WSS_PORT', tls ? wssPort : 0) +
      subst('DB_URL', `text://${path.join(dir, 'db')}`) +
      subst('RTPENGINE_SOCK', `udp:127.0.0.1:${ngPort}`) +
      subst('TLS_CFG', path.join(dir, 'tls.cfg')) +
      (tls ? '#!define WITH_WSS\n' : '') +
      (options.undelivered
        ? subst('UNDELIVERED_URL', `${options.undelivered.url}/calls/undelivered`) +
          subst('UNDELIVERED_KEY', options.undelivered.apiKey) +
          '#!define WITH_UNDELIVERED_REPORT\n'
        : '') +
      (options.line
        ? subst('LINE_API_URL', options.line.url) +
          subst('LINE_API_KEY', options.line.apiKey) +
          subst('LINE_NUMBER', options.line.number) +
          '#!define WITH_CALL_LINE\n' +
          (options.line.announcement
            ? subst(
                'LINE_ANNOUNCE_CMD',
                `/usr/bin/python3 ${path.join(repoRoot, 'resources/sip/line-announce.py')}`,
              ) +
              subst('LINE_ANNOUNCE_WAV', path.join(repoRoot, 'resources/sounds/line-waiting.wav')) +
              '#!define WITH_LINE_ANNOUNCEMENT\n'
            : '')
        : ''),
  );
  fs.copyFileSync(KAMAILIO_CFG, path.join(dir, 'kamailio.cfg'));
  fs.mkdirSync(path.join(dir, 'run'));

  const rtpengine = new Daemon(
    'rtpengine',
    'rtpengine',
    [
      '--config-file=none',
      '--foreground',
      '--log-stderr',
      '--table=-1',
      '--interface=127.0.0.1',
      `--listen-ng=127.0.0.1:${ngPort}`,
      `--port-min=${rtpBase}`,
      `--port-max=${rtpBase + 99}`,
      '--log-level=5',
      `--pidfile=${path.join(dir, 'run', 'rtpengine.pid')}`,
    ],
    dir,
  );
  const kamailio = new Daemon(
    'kamailio',
    'kamailio',
    ['-DD', '-E', '-f', path.join(dir, 'kamailio.cfg'), '-Y', path.join(dir, 'run'), '-w', dir],
    dir,
  );

  const startKamailio = async () => {
    kamailio.start();
    await waitFor('kamailio', () => sipOptions(udpPort), kamailio);
    await waitFor('kamailio (ws)', () => tcpOpen(wsPort), kamailio);
  };

  try {
    rtpengine.start();
    await waitFor(
      'rtpengine',
      async () => (await udpAsk(ngPort, 'rig1 d7:command4:pinge'))?.includes('pong') ?? false,
      rtpengine,
    );
    await startKamailio();
  } catch (e) {
    await kamailio.stop();
    await rtpengine.stop();
    throw e;
  }

  return {
    domain: SIP_DOMAIN,
    wsUrl: `ws://127.0.0.1:${wsPort}`,
    wssUrl: tls ? `wss://127.0.0.1:${wssPort}` : null,
    udpPort,
    dir,
    async restartKamailio(downMs = 500) {
      await kamailio.stop();
      await sleep(downMs);
      await startKamailio();
    },
    logs: () => `${kamailio.log()}\n${rtpengine.log()}`,
    async stop() {
      await kamailio.stop();
      await rtpengine.stop();
      if (!process.env.SIP_KEEP_TMP) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
