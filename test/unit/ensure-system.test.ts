import { describe, expect, it } from 'vitest';
import {
  ensureSystem,
  REQUIREMENTS,
  type RunResult,
  type SystemSeams,
} from '../../scripts/ensure-system';

const OK: RunResult = { status: 0, stdout: '', stderr: '' };
const FAIL: RunResult = { status: 1, stdout: '', stderr: 'no response' };

/** A Debian machine with every tool the suite uses and PostgreSQL answering. */
const ALL_COMMANDS = [
  'kamailio',
  'rtpengine',
  'baresip',
  'sipp',
  'linphonec',
  'dovecot',
  'psql',
  'pg_isready',
  'ip',
  'unshare',
  'openssl',
  'iptables',
  'curl',
  'apt-get',
  'dpkg',
  'pg_ctlcluster',
  'runuser',
];
const ALL_FILES = [
  '/etc/debian_version',
  '/usr/bin/chromium',
  '/usr/lib/x86_64-linux-gnu/kamailio/modules/websocket.so',
  '/usr/lib/x86_64-linux-gnu/kamailio/modules/tls.so',
  '/usr/lib/x86_64-linux-gnu/kamailio/modules/http_client.so',
  '/usr/lib/x86_64-linux-gnu/kamailio/modules/json.so',
  '/usr/lib/dovecot/imap',
  '/usr/lib/dovecot/lmtp',
];

interface Machine extends SystemSeams {
  lines: string[];
  calls: string[];
  commands: Set<string>;
  files: Set<string>;
}

function machine(opts: {
  isRoot?: boolean;
  without?: string[];
  env?: Record<string, string>;
  pgAnswers?: boolean;
  dirs?: Record<string, string[]>;
  /** What apt-get install puts in place. */
  aptInstalls?: { commands?: string[]; files?: string[] };
  onRun?: (cmd: string, args: string[]) => RunResult | undefined;
}): Machine {
  const without = new Set(opts.without ?? []);
  const commands = new Set(ALL_COMMANDS.filter((c) => !without.has(c)));
  const files = new Set(ALL_FILES.filter((f) => !without.has(f)));
  let pgUp = opts.pgAnswers ?? true;
  const m: Machine = {
    lines: [],
    calls: [],
    commands,
    files,
    which: (cmd) => commands.has(cmd),
    exists: (file) => files.has(file),
    list: (dir) => opts.dirs?.[dir] ?? [],
    log: (line) => m.lines.push(line),
    env: opts.env ?? {},
    isRoot: opts.isRoot ?? false,
    arch: 'x64',
    tmpdir: '/tmp',
    run: (cmd, args) => {
      m.calls.push([cmd, ...args].join(' '));
      const custom = opts.onRun?.(cmd, args);
      if (custom !== undefined) {
        if (cmd === 'pg_ctlcluster' || args.includes('start')) pgUp = custom.status === 0;
        return custom;
      }
      if (cmd === 'apt-get' && args[0] === 'install') {
        for (const c of opts.aptInstalls?.commands ?? []) commands.add(c);
        for (const f of opts.aptInstalls?.files ?? []) files.add(f);
        return OK;
      }
      if (cmd === 'pg_isready') return pgUp ? OK : FAIL;
      if (cmd === 'pg_ctlcluster' || (cmd === 'runuser' && args.includes('start'))) {
        pgUp = true;
        return OK;
      }
      return OK;
    },
  };
  return m;
}

describe('ensure-system (first step of npm test)', () => {
  it('is silent and runs nothing but the PostgreSQL probes when everything is present', () => {
    const m = machine({ isRoot: true });
    expect(ensureSystem(m)).toBe(0);
    expect(m.lines).toEqual([]);
    expect(m.calls.every((c) => c.startsWith('pg_isready') || c.startsWith('psql'))).toBe(true);
  });

  it('as root on Debian installs what is missing: apt-get update once, then one install, one line each', () => {
    const m = machine({
      isRoot: true,
      without: ['sipp', '/usr/lib/x86_64-linux-gnu/kamailio/modules/tls.so', '/usr/bin/chromium'],
      aptInstalls: {
        commands: ['sipp'],
        files: ['/usr/lib/x86_64-linux-gnu/kamailio/modules/tls.so', '/usr/bin/chromium'],
      },
    });
    expect(ensureSystem(m)).toBe(0);
    const apt = m.calls.filter((c) => c.startsWith('apt-get'));
    expect(apt).toEqual([
      'apt-get update -qq',
      'apt-get install -y -qq --no-install-recommends chromium kamailio-tls-modules sip-tester',
    ]);
    expect(m.lines).toHaveLength(3);
    expect(m.lines[0]).toMatch(/installing chromium \(Chromium\): the end-to-end tests/);
    expect(m.lines[1]).toMatch(/installing kamailio-tls-modules .*wss/);
    expect(m.lines[2]).toMatch(/installing sip-tester \(sipp\)/);
  });

  it('not root: stops at once with one line giving the exact command, installing nothing', () => {
    const m = machine({ isRoot: false, without: ['baresip', '/usr/lib/dovecot/lmtp'] });
    expect(ensureSystem(m)).toBe(1);
    expect(m.calls).toEqual([]);
    expect(m.lines).toEqual([
      "ensure-system: missing baresip, Dovecot's LMTP server; run: sudo apt-get update && sudo apt-get install -y --no-install-recommends baresip-core dovecot-lmtpd",
    ]);
  });

  it('root on a machine without apt-get: stops with the command too', () => {
    const m = machine({ isRoot: true, without: ['/etc/debian_version', 'openssl'] });
    expect(ensureSystem(m)).toBe(1);
    expect(m.calls).toEqual([]);
    expect(m.lines).toHaveLength(1);
    expect(m.lines[0]).toContain('apt-get install -y --no-install-recommends openssl');
  });

  it('fails clearly when apt-get did not bring the tool', () => {
    const m = machine({ isRoot: true, without: ['rtpengine'] });
    expect(ensureSystem(m)).toBe(1);
    expect(m.lines.at(-1)).toBe('ensure-system: still missing after apt-get: rtpengine');
  });

  it('CHROMIUM_PATH that does not exist is named, not replaced by an install', () => {
    const m = machine({ isRoot: true, env: { CHROMIUM_PATH: '/opt/nowhere/chrome' } });
    expect(ensureSystem(m)).toBe(1);
    expect(m.calls).toEqual([]);
    expect(m.lines[0]).toContain('CHROMIUM_PATH=/opt/nowhere/chrome');
  });

  it('PostgreSQL down, installed cluster: starts it with pg_ctlcluster as root', () => {
    const m = machine({
      isRoot: true,
      pgAnswers: false,
      dirs: { '/etc/postgresql': ['15'] },
    });
    m.files.add('/etc/postgresql/15/main/postgresql.conf');
    expect(ensureSystem(m)).toBe(0);
    expect(m.calls).toContain('pg_ctlcluster --skip-systemctl-redirect 15 main start');
    expect(m.lines).toHaveLength(1);
    expect(m.lines[0]).toMatch(/starting the installed PostgreSQL 15 cluster/);
  });

  it('PostgreSQL down, only the server binaries: a throwaway trust cluster owned by postgres', () => {
    const m = machine({
      isRoot: true,
      pgAnswers: false,
      dirs: { '/usr/lib/postgresql': ['13', '15'] },
    });
    m.files.add('/usr/lib/postgresql/13/bin/initdb');
    m.files.add('/usr/lib/postgresql/15/bin/initdb');
    expect(ensureSystem(m)).toBe(0);
    expect(m.calls).toContainEqual(
      expect.stringMatching(
        /^runuser -u postgres -- \/usr\/lib\/postgresql\/15\/bin\/initdb -D \/tmp\/alo153-test-pg\/data -U postgres -A trust/,
      ),
    );
    expect(m.calls).toContainEqual(
      expect.stringMatching(
        /^runuser -u postgres -- \/usr\/lib\/postgresql\/15\/bin\/pg_ctl .* start$/,
      ),
    );
    expect(m.lines[0]).toMatch(/throwaway PostgreSQL 15 on 127.0.0.1:5432/);
  });

  it('PostgreSQL down and no server installed: says so with the command', () => {
    const m = machine({ isRoot: false, pgAnswers: false });
    expect(ensureSystem(m)).toBe(1);
    expect(m.lines).toEqual([
      'ensure-system: no PostgreSQL answers on 127.0.0.1:5432 and no server is installed; run: sudo apt-get install -y postgresql (then start it), or set ALO153_TEST_PG_URL.',
    ]);
  });

  it('a server that refuses the passwordless postgres user is explained', () => {
    const m = machine({
      onRun: (cmd) =>
        cmd === 'psql'
          ? { status: 2, stdout: '', stderr: 'password authentication failed' }
          : undefined,
    });
    expect(ensureSystem(m)).toBe(1);
    expect(m.lines[0]).toMatch(/refuses user postgres without a password .*trust/);
  });

  it('ALO153_TEST_PG_URL is probed instead of 127.0.0.1:5432', () => {
    const url = 'postgres://postgres@db.test:6543/test';
    const m = machine({ pgAnswers: false, env: { ALO153_TEST_PG_URL: url } });
    expect(ensureSystem(m)).toBe(1);
    expect(m.calls).toEqual([`pg_isready -q -d ${url}`]);
    expect(m.lines[0]).toContain(url);
  });

  it('lists every tool the SIP rig loads (kamailio.cfg modules, rig daemons)', () => {
    const pkgs = REQUIREMENTS.map((r) => r.pkg);
    for (const p of [
      'kamailio-websocket-modules',
      'kamailio-tls-modules',
      'kamailio-utils-modules',
      'kamailio-json-modules',
      'rtpengine-daemon',
    ])
      expect(pkgs).toContain(p);
  });
});
