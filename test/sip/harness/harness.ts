/**
 * Test harness page: wraps one phone core (renderer/src/phone/phone.ts) and exposes a small
 * API on `window.sipHarness` for Playwright. One page = one agent.
 */
import {
  createPhone,
  type CallInfo,
  type Phone,
  type RegistrationState,
} from '../../../renderer/src/phone/phone';
import type { MediaStats, SipHarness } from './api';

let phone: Phone | null = null;
const history = new Map<string, CallInfo>();
const incoming: CallInfo[] = [];
const registrations: RegistrationState['kind'][] = [];
const logLines: string[] = [];
let dtmf = '';
let autoAnswer = false;

function need(): Phone {
  if (!phone) throw new Error('sipHarness.create() first');
  return phone;
}

const harness: SipHarness = {
  create(config) {
    phone = createPhone({ ...config, log: (level, msg) => logLines.push(`${level} ${msg}`) });
    phone.on('call', (c) => history.set(c.id, c));
    phone.on('incoming', (c) => {
      incoming.push(c);
      if (autoAnswer) void phone?.answer(c.id);
    });
    phone.on('registration', (r) => registrations.push(r.kind));
    phone.on('dtmf', (e) => (dtmf += e.digit));
  },
  start: () => need().start(),
  stop: () => need().stop(),
  registration: () => need().registration,
  registrationHistory: () => [...registrations],
  calls: () => need().calls(),
  history: () => [...history.values()],
  incoming: () => [...incoming],
  dtmf: () => dtmf,
  logs: () => [...logLines],
  call: (n) => need().call(n),
  answer: (id) => need().answer(id),
  reject: (id) => need().reject(id),
  hangup: (id) => need().hangup(id),
  hold: (id) => need().hold(id),
  resume: (id) => need().resume(id),
  mute: (id, m) => need().setMuted(id, m),
  sendDtmf: (id, d, mode) => need().sendDtmf(id, d, mode),
  blindTransfer: (id, n) => need().blindTransfer(id, n),
  attendedTransfer: (id, c) => need().attendedTransfer(id, c),
  reconnectNow: () => need().reconnectNow(),
  setAutoAnswer: (on) => void (autoAnswer = on),
  async timeCall(number) {
    const p = need();
    const t0 = performance.now();
    let id = '';
    const established = new Promise<number>((resolve, reject) => {
      const off = p.on('call', (c) => {
        if (c.id !== id && id !== '') return;
        if (c.status === 'established') resolve(performance.now() - t0);
        else if (c.status === 'ended') reject(new Error(c.endReason ?? 'call ended'));
        else return;
        off();
      });
    });
    id = (await p.call(number)).id;
    const ms = await established;
    await p.hangup(id);
    return ms;
  },
  async timeRegistration(config) {
    const fresh = createPhone(config);
    const t0 = performance.now();
    const registered = new Promise<number>((resolve, reject) => {
      fresh.on('registration', (r) => {
        if (r.kind === 'registered') resolve(performance.now() - t0);
        else if (r.kind === 'failed') reject(new Error(r.message));
      });
    });
    await fresh.start();
    const ms = await registered;
    await fresh.stop();
    return ms;
  },
  async stats(id) {
    const pc = need().peerConnection(id);
    if (!pc) return null;
    const result: MediaStats = {
      inboundPackets: 0,
      inboundBytes: 0,
      inboundEnergy: 0,
      outboundPackets: 0,
      currentDirection: pc.getTransceivers()[0]?.currentDirection ?? null,
      codec: null,
    };
    const report = await pc.getStats();
    report.forEach((s: Record<string, unknown>) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') {
        result.inboundPackets += Number(s.packetsReceived ?? 0);
        result.inboundBytes += Number(s.bytesReceived ?? 0);
        result.inboundEnergy += Number(s.totalAudioEnergy ?? 0);
        const codec = report.get(String(s.codecId)) as { mimeType?: string } | undefined;
        result.codec = codec?.mimeType ?? result.codec;
      } else if (s.type === 'outbound-rtp' && s.kind === 'audio') {
        result.outboundPackets += Number(s.packetsSent ?? 0);
      }
    });
    return result;
  },
};

(globalThis as unknown as { sipHarness: SipHarness }).sipHarness = harness;
