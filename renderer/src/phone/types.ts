/**
 * The phone's data types, free of DOM types so that Node-side code (tests, the client core)
 * can share them.
 */

/** Same shape as the DOM's RTCIceServer. */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface PhoneConfig {
  /** SIP over WebSocket server: ws://… or wss://… */
  server: string;
  /** SIP user: `1001@bikom.example` or just `1001` (domain then defaults to the server host). */
  user: string;
  /** SIP domain, when `user` has none and it differs from the server host. */
  domain?: string;
  /** Digest authentication user (defaults to the SIP user). */
  authUser?: string;
  password: string;
  displayName?: string;
  /** Microphone to use (MediaDeviceInfo.deviceId); the system default when absent. */
  microphoneId?: string;
  /** STUN/TURN servers; may be empty (loopback tests, LAN-only deployments). */
  iceServers: IceServer[];
  /** Longest wait for ICE candidates before sending SDP (default 50 ms without ICE servers). */
  iceGatheringTimeoutMs?: number;
  /** Registration expiry in seconds (default 300). */
  registerExpires?: number;
  /**
   * Keep-alive: every `intervalMs` the phone sends SIP OPTIONS to the registrar and waits
   * `timeoutMs` for an answer; none means the connection is dead (default 5000 / 3000;
   * intervalMs 0 turns it off).
   */
  keepAlive?: { intervalMs: number; timeoutMs: number };
  /** Longest wait for the WebSocket to open before trying again (default 2500 ms). */
  connectTimeoutMs?: number;
  /** Reconnect back-off in ms: first delay and cap (default 500 … 30 000). */
  reconnectDelayMs?: { first: number; max: number };
  /** Where diagnostics go; the password never reaches it. */
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

export type RegistrationFailure = 'credentials' | 'unreachable' | 'rejected';

export type RegistrationState =
  | { kind: 'unregistered'; message: string }
  | { kind: 'registering'; message: string }
  | { kind: 'registered'; message: string; since: number }
  | { kind: 'failed'; reason: RegistrationFailure; message: string; retryAt: number | null };

export type CallDirection = 'inbound' | 'outbound';
export type CallStatus = 'ringing' | 'dialing' | 'established' | 'ended';

export interface CallInfo {
  /** Local id, stable for the life of the call. */
  id: string;
  /** SIP Call-ID, for the call log. */
  sipCallId: string;
  direction: CallDirection;
  /** The other party's number (SIP user part). */
  number: string;
  displayName: string;
  status: CallStatus;
  /** We put the call on hold. */
  held: boolean;
  /** The other party put us on hold. */
  remoteHeld: boolean;
  muted: boolean;
  /** Epoch ms. */
  createdAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  /** Turkish reason when the call failed or was rejected. */
  endReason: string | null;
  /** SIP status of the final failure response to our INVITE (486 busy, 404 …), else null. */
  endCode?: number | null;
  /** Set on the new call when it replaced another (attended transfer target side). */
  replacedCallId: string | null;
  /** Set on a call placed because the other party transferred us (REFER). */
  referredFromCallId: string | null;
}

export interface PhoneEvents {
  registration: (state: RegistrationState) => void;
  /** Any change of a call, including its creation and end. */
  call: (call: CallInfo) => void;
  incoming: (call: CallInfo) => void;
  dtmf: (event: { callId: string; digit: string }) => void;
}

export type DtmfMode = 'rfc4733' | 'info';
