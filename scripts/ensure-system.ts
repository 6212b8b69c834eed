// First step of `npm test`: every system tool the test suite uses is present, and a PostgreSQL
// server answers on 127.0.0.1:5432 (or ALO153_TEST_PG_URL), before any test starts.
//
// Missing tools: as root on Debian/Ubuntu they are installed with apt-get (one line each saying
// what and why); anywhere else the check stops at once with one line giving the exact command.
// PostgreSQL: when nothing answers, an installed Debian cluster is started (pg_ctlcluster, as
// root); failing that, with Debian's server binaries installed, a throwaway trust-auth cluster
// is started in the temp directory; otherwise the check stops with the command to install one.
//
// The decision logic takes its world through seams (which/exists/run) so it is unit-tested
// (test/unit/ensure-system.test.ts); the bottom of this file wires it to the real machine.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface SystemSeams {
  /** Is `cmd` on PATH (or the absolute path executable)? */
  which(cmd: string): boolean;
  exists(file: string): boolean;
  run(cmd: string, args: string[], opts?: { env?: Record<string, string> }): RunResult;
  log(line: string): void;
  /** Every entry of a directory, or [] when it does not exist. */
  list(dir: string): string[];
  env: Record<string, string | undefined>;
  isRoot: boolean;
  arch: string;
  tmpdir: string;
}

interface Requirement {
  /** What is missing, for the messages. */
  what: string;
  /** Which tests need it. */
  why: string;
  /** The Debian/Ubuntu package that provides it. */
  pkg: string;
  present(s: SystemSeams): boolean;
}

const MULTIARCH: Record<string, string> = {
  x64: 'x86_64-linux-gnu',
  arm64: 'aarch64-linux-gnu',
  arm: 'arm-linux-gnueabihf',
};

function kamailioModule(s: SystemSeams, file: string): boolean {
  const dirs = [
    `/usr/lib/${MULTIARCH[s.arch] ?? `${s.arch}-linux-gnu`}/kamailio/modules`,
    '/usr/lib/kamailio/modules',
    '/usr/lib64/kamailio/modules',
  ];
  return dirs.some((d) => s.exists(path.join(d, file)));
}

const tool = (cmd: string, pkg: string, why: string): Requirement => ({
  what: cmd,
  why,
  pkg,
  present: (s) => s.which(cmd),
});

const SIP = 'the SIP tests (test/sip)';

/** Everything the suite runs besides Node: keep in step with test/. */
export const REQUIREMENTS: readonly Requirement[] = [
  {
    what: 'Chromium',
    why: 'the end-to-end tests drive the app in it (/usr/bin/chromium or CHROMIUM_PATH)',
    pkg: 'chromium',
    present: (s) =>
      s.env.CHROMIUM_PATH ? s.exists(s.env.CHROMIUM_PATH) : s.exists('/usr/bin/chromium'),
  },
  tool('kamailio', 'kamailio', `${SIP}: the SIP exchange`),
  {
    what: "Kamailio's WebSocket module (websocket.so)",
    why: `${SIP}: the softphone registers over WebSocket`,
    pkg: 'kamailio-websocket-modules',
    present: (s) => kamailioModule(s, 'websocket.so'),
  },
  {
    what: "Kamailio's TLS module (tls.so)",
    why: `${SIP}: secure WebSocket (wss://)`,
    pkg: 'kamailio-tls-modules',
    present: (s) => kamailioModule(s, 'tls.so'),
  },
  {
    what: "Kamailio's HTTP client (http_client.so)",
    why: `${SIP}: the exchange asks the call line's API who to ring (POST /line/calls)`,
    pkg: 'kamailio-utils-modules',
    present: (s) => kamailioModule(s, 'http_client.so'),
  },
  {
    what: "Kamailio's JSON module (json.so)",
    why: `${SIP}: the exchange reads the call line's answers (ring, wait, end)`,
    pkg: 'kamailio-json-modules',
    present: (s) => kamailioModule(s, 'json.so'),
  },
  tool('rtpengine', 'rtpengine-daemon', `${SIP}: the media relay`),
  tool('baresip', 'baresip-core', `${SIP}: the citizen's phone`),
  tool('sipp', 'sip-tester', `${SIP}: SIP load and scenario calls`),
  tool('linphonec', 'linphone-cli', `${SIP}: a phone that offers opus`),
  tool('dovecot', 'dovecot-core', 'the mailbox tests: an IMAP/LMTP server'),
  {
    what: "Dovecot's IMAP server",
    why: 'the mailbox tests read mail over IMAP',
    pkg: 'dovecot-imapd',
    present: (s) => s.exists('/usr/lib/dovecot/imap'),
  },
  {
    what: "Dovecot's LMTP server",
    why: 'the mailbox tests deliver mail over LMTP',
    pkg: 'dovecot-lmtpd',
    present: (s) => s.exists('/usr/lib/dovecot/lmtp'),
  },
  tool('psql', 'postgresql-client', 'server tests on PostgreSQL (client tools)'),
  tool('pg_isready', 'postgresql-client', 'checking that PostgreSQL answers'),
  tool('ip', 'iproute2', `${SIP}: bringing up loopback in their network namespace`),
  tool('unshare', 'util-linux', `${SIP}: the loopback-only network namespace`),
  tool('openssl', 'openssl', `${SIP} and the mailbox tests: TLS certificates (wss://, IMAPS)`),
  tool('iptables', 'iptables', `${SIP}: cutting an agent's link inside the namespace`),
  tool('curl', 'curl', `${SIP}: Kamailio reports undelivered calls to the API`),
];

function isDebianLike(s: SystemSeams): boolean {
  return s.exists('/etc/debian_version') && s.which('apt-get') && s.which('dpkg');
}

const unique = (xs: string[]) => [...new Set(xs)];

function missingOf(s: SystemSeams): Requirement[] {
  return REQUIREMENTS.filter((r) => !r.present(s));
}

/** Returns the process exit code: 0 when the suite can run. */
export function ensureSystem(s: SystemSeams): number {
  const chromiumPath = s.env.CHROMIUM_PATH;
  if (chromiumPath && !s.exists(chromiumPath)) {
    s.log(
      `ensure-system: CHROMIUM_PATH=${chromiumPath} does not exist; unset it or point it at Chromium.`,
    );
    return 1;
  }
  let missing = missingOf(s);
  if (missing.length > 0) {
    const pkgs = unique(missing.map((m) => m.pkg));
    const command = `apt-get install -y --no-install-recommends ${pkgs.join(' ')}`;
    if (!isDebianLike(s)) {
      s.log(
        `ensure-system: missing ${missing.map((m) => m.what).join(', ')}; install them (Debian/Ubuntu: ${command}) and run npm test again.`,
      );
      return 1;
    }
    if (!s.isRoot) {
      s.log(
        `ensure-system: missing ${missing.map((m) => m.what).join(', ')}; run: sudo apt-get update && sudo ${command}`,
      );
      return 1;
    }
    for (const m of missing) s.log(`ensure-system: installing ${m.pkg} (${m.what}): ${m.why}`);
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    const update = s.run('apt-get', ['update', '-qq'], { env });
    if (update.status !== 0) {
      s.log(`ensure-system: apt-get update failed: ${lastLine(update)}`);
      return 1;
    }
    const install = s.run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], {
      env,
    });
    if (install.status !== 0) {
      s.log(`ensure-system: ${command} failed: ${lastLine(install)}`);
      return 1;
    }
    missing = missingOf(s);
    if (missing.length > 0) {
      s.log(`ensure-system: still missing after apt-get: ${missing.map((m) => m.what).join(', ')}`);
      return 1;
    }
  }
  return ensurePostgres(s);
}

function lastLine(r: RunResult): string {
  const text = `${r.stderr}\n${r.stdout}`.trim().split('\n');
  return text[text.length - 1] ?? `exit status ${r.status}`;
}

const DEFAULT_PG = { host: '127.0.0.1', port: '5432', user: 'postgres' };

/** The throwaway cluster's directory (reused by the next run while it is up). */
export function throwawayDir(s: SystemSeams): string {
  return path.join(s.tmpdir, 'alo153-test-pg');
}

function ensurePostgres(s: SystemSeams): number {
  const url = s.env.ALO153_TEST_PG_URL;
  if (url) {
    if (s.run('pg_isready', ['-q', '-d', url]).status === 0) return 0;
    s.log(
      `ensure-system: no PostgreSQL answers at ALO153_TEST_PG_URL (${url}); start it or unset the variable.`,
    );
    return 1;
  }
  const ready = () =>
    s.run('pg_isready', ['-q', '-h', DEFAULT_PG.host, '-p', DEFAULT_PG.port]).status === 0;
  if (!ready()) {
    const started = startInstalledCluster(s) || startThrowawayCluster(s);
    if (!started) return 1;
    if (!ready()) {
      s.log('ensure-system: PostgreSQL was started but does not answer on 127.0.0.1:5432.');
      return 1;
    }
  }
  // The tests connect as postgres without a password (trust authentication).
  const probe = s.run('psql', [
    '-w',
    '-X',
    '-q',
    '-h',
    DEFAULT_PG.host,
    '-p',
    DEFAULT_PG.port,
    '-U',
    DEFAULT_PG.user,
    '-d',
    'postgres',
    '-c',
    'SELECT 1',
  ]);
  if (probe.status !== 0) {
    s.log(
      `ensure-system: PostgreSQL on 127.0.0.1:5432 refuses user postgres without a password (${lastLine(probe)}); allow it with "host all all 127.0.0.1/32 trust" in pg_hba.conf, or set ALO153_TEST_PG_URL.`,
    );
    return 1;
  }
  return 0;
}

/** Debian's installed cluster on port 5432 (pg_ctlcluster; as root only). */
function startInstalledCluster(s: SystemSeams): boolean {
  if (!s.isRoot || !s.which('pg_ctlcluster')) return false;
  for (const version of s.list('/etc/postgresql')) {
    const conf = path.join('/etc/postgresql', version, 'main', 'postgresql.conf');
    if (!s.exists(conf)) continue;
    s.log(
      `ensure-system: starting the installed PostgreSQL ${version} cluster (pg_ctlcluster ${version} main start): the server tests need it`,
    );
    const r = s.run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start']);
    if (r.status === 0) return true;
    s.log(`ensure-system: pg_ctlcluster ${version} main start failed: ${lastLine(r)}`);
  }
  return false;
}

/**
 * With Debian's server binaries (/usr/lib/postgresql/N/bin) but no cluster: a throwaway one in
 * the temp directory, trust authentication, loopback only, port 5432. It keeps running for the
 * next runs; `pg_ctl -D <dir> stop` ends it.
 */
function startThrowawayCluster(s: SystemSeams): boolean {
  const versions = s
    .list('/usr/lib/postgresql')
    .filter((v) => s.exists(`/usr/lib/postgresql/${v}/bin/initdb`))
    .sort((a, b) => Number(b) - Number(a));
  const version = versions[0];
  if (version === undefined) {
    const install = 'apt-get install -y postgresql';
    s.log(
      `ensure-system: no PostgreSQL answers on 127.0.0.1:5432 and no server is installed; run: ${s.isRoot ? '' : 'sudo '}${install} (then start it), or set ALO153_TEST_PG_URL.`,
    );
    return false;
  }
  const bin = `/usr/lib/postgresql/${version}/bin`;
  const dir = throwawayDir(s);
  const data = path.join(dir, 'data');
  // initdb and postgres refuse to run as root: as root the cluster belongs to user postgres.
  const asOwner = (cmd: string, args: string[]) =>
    s.isRoot ? s.run('runuser', ['-u', 'postgres', '--', cmd, ...args]) : s.run(cmd, args);
  s.log(
    `ensure-system: starting a throwaway PostgreSQL ${version} on 127.0.0.1:5432 in ${dir} (trust auth; stop it with: pg_ctl -D ${data} stop): the server tests need one`,
  );
  if (!s.exists(path.join(data, 'PG_VERSION'))) {
    const mk = s.run('mkdir', ['-p', dir]);
    if (mk.status === 0 && s.isRoot) s.run('chown', ['postgres:postgres', dir]);
    const init = asOwner(`${bin}/initdb`, [
      '-D',
      data,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--no-locale',
    ]);
    if (init.status !== 0) {
      s.log(`ensure-system: initdb failed: ${lastLine(init)}`);
      return false;
    }
  }
  const start = asOwner(`${bin}/pg_ctl`, [
    '-D',
    data,
    '-l',
    path.join(dir, 'server.log'),
    '-w',
    '-o',
    `-c listen_addresses=127.0.0.1 -c port=5432 -c unix_socket_directories=${dir}`,
    'start',
  ]);
  if (start.status !== 0) {
    s.log(
      `ensure-system: pg_ctl start failed: ${lastLine(start)} (log: ${path.join(dir, 'server.log')})`,
    );
    return false;
  }
  return true;
}

function realSeams(): SystemSeams {
  return {
    which: (cmd) =>
      cmd.includes('/')
        ? fs.existsSync(cmd)
        : spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd], { stdio: 'ignore' }).status === 0,
    exists: (file) => fs.existsSync(file),
    list: (dir) => {
      try {
        return fs.readdirSync(dir);
      } catch {
        return [];
      }
    },
    run: (cmd, args, opts) => {
      const r = spawnSync(cmd, args, {
        encoding: 'utf8',
        env: { ...process.env, ...opts?.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      return {
        status: r.error ? 127 : r.status,
        stdout: r.stdout ?? '',
        stderr: r.error ? r.error.message : (r.stderr ?? ''),
      };
    },
    log: (line) => console.log(line),
    env: process.env,
    isRoot: process.getuid?.() === 0,
    arch: process.arch,
    tmpdir: os.tmpdir(),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = ensureSystem(realSeams());
}
