/**
 * A second kind of ordinary citizen's phone for the SIP tests: SIPp (Debian's sip-tester) as a
 * plain SIP/UDP caller from outside our domain, like a call from the PSTN gateway. One process
 * places one call: INVITE (G.711 offer), waits as long as it takes for the answer (ringback only,
 * however long the line makes it wait), ACKs it, and stays on the call until the agent hangs up
 * (it answers the BYE). It never hangs up itself; baresip (citizen.ts) is the caller who does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import { sleep } from './rig';

/**
 * The SIPp scenario of one such caller. `number` may hold SIPp keywords (`0532100[call_number]`)
 * so that one SIPp process places many calls from distinct numbers (bench-line.ts).
 */
export function callerScenario(number: string, line: string, domain: string): string {
  const from = `<sip:${number}@citizen.invalid>;tag=[pid]SIPpTag[call_number]`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="citizen ${number} dials ${line}">
  <send retrans="500">
    <![CDATA[
      INVITE sip:${line}@${domain} SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      From: ${from}
      To: <sip:${line}@${domain}>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:${number}@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=- 1 1 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 0 101
      a=rtpmap:0 PCMU/8000
      a=rtpmap:101 telephone-event/8000
      a=fmtp:101 0-16
      a=sendrecv
    ]]>
  </send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="200" rrs="true"/>
  <send>
    <![CDATA[
      ACK [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      From: ${from}
      [last_To:]
      Call-ID: [call_id]
      CSeq: 1 ACK
      [routes]
      Contact: <sip:${number}@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
  <recv request="BYE"/>
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0
    ]]>
  </send>
</scenario>
`;
}

function bindUdp(port: number): Promise<dgram.Socket | null> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4');
    sock.once('error', () => resolve(null));
    sock.bind(port, '127.0.0.1', () => resolve(sock));
  });
}

/**
 * A UDP port with the next `count - 1` ports free too (SIPp binds its SIP port; its media socket
 * takes RTP, RTCP and the video pair after it). UDP, not TCP: the phones and rtpengine hold UDP
 * ports the rig's TCP `freePort` cannot see.
 */
async function freeUdpPorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = await bindUdp(0);
    if (first === null) continue;
    const base = first.address().port;
    const held = [first];
    let ok = base + count - 1 <= 65535;
    for (let p = base + 1; ok && p < base + count; p++) {
      const s = await bindUdp(p);
      if (s === null) ok = false;
      else held.push(s);
    }
    await Promise.all(held.map((s) => new Promise<void>((r) => s.close(() => r()))));
    if (ok) return base;
  }
  throw new Error('no free UDP ports for SIPp');
}

export class SippCaller {
  private output = '';
  /** sipp's exit code once it ended: 0 when the call was answered and ended by the agent. */
  exitCode: number | null = null;
  private readonly exited: Promise<number>;

  private constructor(
    readonly number: string,
    private readonly child: ChildProcess,
    private readonly home: string,
  ) {
    const keep = (d: Buffer) => {
      this.output = (this.output + d.toString()).slice(-50_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? 128 : 1);
        resolve(this.exitCode);
      }),
    );
  }

  /** `number` (from outside, sip:<number>@citizen.invalid) dials `line` through the rig's UDP port. */
  static async dial(
    dir: string,
    number: string,
    line: string,
    domain: string,
    proxyPort: number,
  ): Promise<SippCaller> {
    const home = path.join(dir, `sipp-${number}`);
    fs.mkdirSync(home, { recursive: true });
    const file = path.join(home, 'citizen.xml');
    fs.writeFileSync(file, callerScenario(number, line, domain));
    const [sipPort, mediaPort] = [await freeUdpPorts(1), await freeUdpPorts(4)];
    const child = spawn(
      'sipp',
      [
        `127.0.0.1:${proxyPort}`,
        '-sf',
        file,
        '-i',
        '127.0.0.1',
        '-p',
        String(sipPort),
        '-mi',
        '127.0.0.1',
        '-mp',
        String(mediaPort),
        '-m',
        '1',
        '-l',
        '1',
        '-nostdin',
        '-trace_err',
        '-error_file',
        path.join(home, 'errors.log'),
      ],
      { cwd: home, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return new SippCaller(number, child, home);
  }

  /** Waits until the call ended; resolves with sipp's exit code. */
  async ended(ms = 15_000): Promise<number> {
    const timeout = sleep(ms).then(() => -1);
    const code = await Promise.race([this.exited, timeout]);
    if (code === -1) throw new Error(`sipp ${this.number}: call still on after ${ms} ms`);
    return code;
  }

  /** sipp's output and its error log (unexpected messages, failed calls). */
  log(): string {
    const errors = path.join(this.home, 'errors.log');
    const logged = fs.existsSync(errors) ? fs.readFileSync(errors, 'utf8') : '';
    return `${this.output.slice(-1500)}\n${logged.slice(-3000)}`;
  }

  async stop(): Promise<void> {
    if (this.exitCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await this.exited;
    clearTimeout(timer);
  }
}
