/**
 * The citizen's ordinary phone: baresip over plain SIP/UDP and RTP (G.711), sending a sine tone,
 * driven through its ctrl_tcp module (netstring-framed JSON commands and events).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort, sleep } from './rig';

export interface BaresipEvent {
  type: string;
  class?: string;
  param?: string;
  peeruri?: string;
  id?: string;
  [key: string]: unknown;
}

export interface CitizenOptions {
  /**
   * Audio codecs the phone offers, in order of preference (default: G.711 only, `PCMU,PCMA`).
   * `opus` offers opus/48000/2 first, like linphone and most modern SIP phones.
   */
  codecs?: ('opus' | 'PCMU' | 'PCMA')[];
}

export class Citizen {
  readonly events: BaresipEvent[] = [];
  private output = '';
  private sock: net.Socket | null = null;
  private buffer = '';
  private token = 0;
  private readonly pending = new Map<string, (r: { ok: boolean; data: string }) => void>();

  private constructor(
    readonly number: string,
    private readonly child: ChildProcess,
  ) {}

  /**
   * Starts baresip as `number` using the rig's UDP port. Without `register`, it calls from
   * outside our domain (sip:<number>@citizen.invalid), like a call from the PSTN gateway; with
   * `register` it registers in `register.domain` and answers calls automatically.
   */
  static async start(
    dir: string,
    number: string,
    proxyPort: number,
    register?: { domain: string; password: string },
    options: CitizenOptions = {},
  ): Promise<Citizen> {
    // The ports are picked free, but baresip also binds SIP/TLS on the next port and RTP in a
    // range of its own: another process can take one of them in between. Try fresh ports then.
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await Citizen.launch(dir, number, proxyPort, register, options);
      } catch (error) {
        const clash = error instanceof Error && error.message.includes('Address already in use');
        if (!clash || attempt >= 4) throw error;
      }
    }
  }

  private static async launch(
    dir: string,
    number: string,
    proxyPort: number,
    register: { domain: string; password: string } | undefined,
    options: CitizenOptions,
  ): Promise<Citizen> {
    const codecs = options.codecs ?? ['PCMU', 'PCMA'];
    const home = path.join(dir, `baresip-${number}`);
    fs.mkdirSync(home, { recursive: true });
    const [sipPort, ctrlPort] = [await freePort(), await freePort()];
    const rtpBase = 40_000 + Math.floor(Math.random() * 100) * 100;
    fs.writeFileSync(
      path.join(home, 'config'),
      [
        'poll_method epoll',
        `sip_listen 127.0.0.1:${sipPort}`,
        // baresip 1.0: an address, not `net_interface lo`.
        'net_interface 127.0.0.1',
        'audio_source ausine,440',
        // baresip 1.0's sine source needs two channels.
        'ausrc_channels 2',
        // ...and 48 kHz (it is resampled to the codec's rate).
        'ausrc_srate 48000',
        'audio_player none,none',
        `rtp_ports ${rtpBase}-${rtpBase + 99}`,
        'rtp_stats yes',
        'module_path /usr/lib/baresip/modules',
        'module g711.so',
        ...(codecs.includes('opus') ? ['module opus.so'] : []),
        'module ausine.so',
        'module_app account.so',
        'module_app menu.so',
        'module_app ctrl_tcp.so',
        `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
        '',
      ].join('\n'),
    );
    const audioCodecs = codecs.map((c) => (c === 'opus' ? 'opus/48000/2' : c)).join(',');
    const outbound = `outbound="sip:127.0.0.1:${proxyPort};transport=udp";audio_codecs=${audioCodecs}`;
    fs.writeFileSync(
      path.join(home, 'accounts'),
      register
        ? `<sip:${number}@${register.domain}>;auth_pass=${register.password};regint=300;answermode=auto;${outbound}\n`
        : `<sip:${number}@citizen.invalid>;regint=0;${outbound}\n`,
    );
    const child = spawn('baresip', ['-f', home], { stdio: ['pipe', 'pipe', 'pipe'], cwd: home });
    const citizen = new Citizen(number, child);
    const keep = (d: Buffer) => {
      citizen.output = (citizen.output + d.toString()).slice(-200_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const deadline = Date.now() + 10_000;
    while (!citizen.sock) {
      if (child.exitCode !== null) throw new Error(`baresip exited:\n${citizen.output}`);
      if (Date.now() > deadline) throw new Error(`baresip not ready:\n${citizen.output}`);
      await citizen.connect(ctrlPort).catch(() => sleep(100));
    }
    return citizen;
  }

  private connect(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('error', reject);
      s.once('connect', () => {
        this.sock = s;
        s.on('data', (d) => this.onData(d.toString()));
        resolve();
      });
    });
  }

  private onData(chunk: string) {
    this.buffer += chunk;
    for (;;) {
      const colon = this.buffer.indexOf(':');
      if (colon < 0) return;
      const len = Number(this.buffer.slice(0, colon));
      if (this.buffer.length < colon + 1 + len + 1) return;
      const body = this.buffer.slice(colon + 1, colon + 1 + len);
      this.buffer = this.buffer.slice(colon + 1 + len + 1);
      const msg = JSON.parse(body) as Record<string, unknown>;
      if (msg.event) this.events.push(msg as unknown as BaresipEvent);
      else if (msg.response) {
        this.pending.get(String(msg.token))?.({ ok: !!msg.ok, data: String(msg.data ?? '') });
        this.pending.delete(String(msg.token));
      }
    }
  }

  /** Runs a baresip command (e.g. `dial sip:…`, `hangup`, `callstat`) and returns its output. */
  command(command: string, params = ''): Promise<string> {
    const token = String(++this.token);
    const body = JSON.stringify({ command, params, token });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`baresip ${command}: no answer`)), 5000);
      this.pending.set(token, (r) => {
        clearTimeout(timer);
        if (r.ok) resolve(r.data);
        else reject(new Error(`baresip ${command} failed: ${r.data}`));
      });
      this.sock!.write(`${Buffer.byteLength(body)}:${body},`);
    });
  }

  async waitEvent(type: string, ms = 10_000): Promise<BaresipEvent> {
    const deadline = Date.now() + ms;
    for (;;) {
      const e = this.events.find((x) => x.type === type);
      if (e) return e;
      if (Date.now() > deadline) {
        throw new Error(`baresip: no ${type} event\n${this.output.slice(-4000)}`);
      }
      await sleep(50);
    }
  }

  /** Waits until baresip printed a line matching `re` (for what happened before we connected). */
  async waitOutput(re: RegExp, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!re.test(this.output)) {
      if (Date.now() > deadline) throw new Error(`baresip never printed ${re}:\n${this.output}`);
      await sleep(50);
    }
  }

  /** RTP packets [sent, received] of the last ended call (baresip prints them with rtp_stats). */
  async lastCallPackets(ms = 5000): Promise<{ sent: number; received: number }> {
    const deadline = Date.now() + ms;
    for (;;) {
      const all = [...this.output.matchAll(/packets:\s+(\d+)\s+(\d+)/g)];
      const m = all.at(-1);
      if (m) return { sent: Number(m[1]), received: Number(m[2]) };
      if (Date.now() > deadline) throw new Error(`baresip printed no RTP stats:\n${this.output}`);
      await sleep(50);
    }
  }

  /** DTMF digits baresip received (RFC 4733 telephone-events). */
  dtmfReceived(): string {
    return this.events
      .filter((e) => e.type === 'CALL_DTMF_START')
      .map((e) => e.param ?? '')
      .join('');
  }

  log(): string {
    return this.output;
  }

  async stop(): Promise<void> {
    this.sock?.destroy();
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
}
