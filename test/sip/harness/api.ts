/**
 * What the harness page (harness.ts) exposes on `window.sipHarness`. DOM-free, so the Node-side
 * tests can import it.
 */
import type {
  CallInfo,
  DtmfMode,
  PhoneConfig,
  RegistrationState,
} from '../../../renderer/src/phone/types';

export interface MediaStats {
  inboundPackets: number;
  inboundBytes: number;
  /** Chromium's totalAudioEnergy of what was received and played: > 0 means real sound. */
  inboundEnergy: number;
  outboundPackets: number;
  /** Negotiated direction of the audio transceiver (null before negotiation). */
  currentDirection: string | null;
  codec: string | null;
}

export interface SipHarness {
  create(config: Omit<PhoneConfig, 'log'>): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  registration(): RegistrationState;
  registrationHistory(): RegistrationState['kind'][];
  calls(): CallInfo[];
  /** Every call ever seen, ended ones included, by id. */
  history(): CallInfo[];
  incoming(): CallInfo[];
  dtmf(): string;
  logs(): string[];
  call(number: string): Promise<CallInfo>;
  answer(id: string): Promise<void>;
  reject(id: string): Promise<void>;
  hangup(id: string): Promise<void>;
  hold(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  mute(id: string, muted: boolean): void;
  sendDtmf(id: string, digits: string, mode: DtmfMode): Promise<void>;
  blindTransfer(id: string, number: string): Promise<void>;
  attendedTransfer(id: string, consultId: string): Promise<void>;
  stats(id: string): Promise<MediaStats | null>;
  reconnectNow(): void;
  /** Answer every incoming call at once (the far end of benchmarks). */
  setAutoAnswer(on: boolean): void;
  /** ms from call() to Established, measured in the page; hangs up afterwards. */
  timeCall(number: string): Promise<number>;
  /** ms from start() to registered for a fresh phone with `config`, which is then stopped. */
  timeRegistration(config: Omit<PhoneConfig, 'log'>): Promise<number>;
}
