/**
 * The softphone core: one sip.js UserAgent (SIP over WebSocket, WebRTC audio) with its
 * registration, calls, hold, DTMF and transfers. No React here: the store (store.ts) and the
 * panel subscribe to its events, the test harness (test/sip/harness) drives it directly.
 *
 * The password is only handed to sip.js for digest authentication; it is never logged and never
 * part of any state or event this module emits.
 */
import {
  Invitation,
  Inviter,
  Registerer,
  RegistererState,
  RequestPendingError,
  SessionState,
  SIPExtension,
  UserAgent,
  UserAgentState,
  type Info,
  type Notification,
  type Referral,
  type Session,
  type URI,
  Web,
} from 'sip.js';
import { callFailureText, mediaErrorText } from './failure-text';
import { dtmfInfoBody, parseDtmfInfo, isDtmfDigits } from './dtmf';
import type { CallInfo, DtmfMode, PhoneConfig, PhoneEvents, RegistrationState } from './types';
import { t } from '../../../src/domain/i18n/tr';
import { ui } from '../i18n';

export type * from './types';

export interface Phone {
  readonly registration: RegistrationState;
  calls(): CallInfo[];
  start(): Promise<void>;
  /** Unregisters, hangs up every call and closes the connection. */
  stop(): Promise<void>;
  /** Re-registers now (after the PC woke up or the network came back). */
  reconnectNow(): void;
  call(number: string): Promise<CallInfo>;
  answer(callId: string): Promise<void>;
  reject(callId: string): Promise<void>;
  hangup(callId: string): Promise<void>;
  hold(callId: string): Promise<void>;
  resume(callId: string): Promise<void>;
  setMuted(callId: string, muted: boolean): void;
  sendDtmf(callId: string, digits: string, mode?: DtmfMode): Promise<void>;
  blindTransfer(callId: string, number: string): Promise<void>;
  /** Transfers `callId`'s party to the party of the established `consultCallId` (Replaces). */
  attendedTransfer(callId: string, consultCallId: string): Promise<void>;
  /** The call's peer connection, for statistics and device changes. */
  peerConnection(callId: string): RTCPeerConnection | undefined;
  setOutputDevice(deviceId: string): Promise<void>;
  on<E extends keyof PhoneEvents>(event: E, listener: PhoneEvents[E]): () => void;
}

interface CallEntry {
  info: CallInfo;
  session: Session;
  audio: HTMLAudioElement | null;
}

const CLOSED_STATES = new Set([SessionState.Terminating, SessionState.Terminated]);

/** Removes anything that could carry a secret from a log line (digest answers). */
export function redact(text: string): string {
  return text.replace(/^((?:Proxy-)?Authorization:).*$/gim, '$1 <redacted>');
}

function parseAor(config: PhoneConfig): { user: string; domain: string } {
  const bare = config.user.replace(/^sips?:/, '');
  const at = bare.indexOf('@');
  if (at > 0) return { user: bare.slice(0, at), domain: bare.slice(at + 1) };
  return { user: bare, domain: config.domain ?? new URL(config.server).hostname };
}

function sdpDirectionIsHold(sdp: string | undefined): boolean {
  return !!sdp && /^a=(sendonly|inactive)\s*$/m.test(sdp);
}

let seq = 0;

/** Longest wait for a call's media path before keys pressed right after the answer fail. */
const DTMF_MEDIA_WAIT_MS = 5000;

/** Resolves once `dtmf` can send (the media path is up); rejects when it does not come up. */
function mediaReady(pc: RTCPeerConnection, dtmf: RTCDTMFSender, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + ms;
    const check = () => {
      if (dtmf.canInsertDTMF) resolve();
      else if (pc.connectionState === 'closed' || pc.connectionState === 'failed') {
        reject(new Error(ui('phone.dtmfNoMedia')));
      } else if (Date.now() > deadline) reject(new Error(ui('phone.dtmfNoMedia')));
      else setTimeout(check, 20);
    };
    check();
  });
}

export function createPhone(config: PhoneConfig): Phone {
  const log = config.log ?? (() => undefined);
  const { user, domain } = parseAor(config);
  const backoff = config.reconnectDelayMs ?? { first: 500, max: 30_000 };
  const expires = config.registerExpires ?? 300;
  const keepAlive = config.keepAlive ?? { intervalMs: 5000, timeoutMs: 3000 };
  // A connection attempt into a dead path (packets dropped) is abandoned after this long and
  // started afresh at once, so that a path that comes back is used within about a second.
  const connectTimeoutMs = config.connectTimeoutMs ?? 2500;
  const listeners: { [E in keyof PhoneEvents]: Set<PhoneEvents[E]> } = {
    registration: new Set(),
    call: new Set(),
    incoming: new Set(),
    dtmf: new Set(),
  };
  const emit = <E extends keyof PhoneEvents>(event: E, ...args: Parameters<PhoneEvents[E]>) => {
    for (const l of listeners[event]) (l as (...a: Parameters<PhoneEvents[E]>) => void)(...args);
  };
  const entries = new Map<string, CallEntry>();
  let registration: RegistrationState = { kind: 'unregistered', message: ui('phone.unregistered') };
  let stopped = true;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let wakeTimer: ReturnType<typeof setInterval> | null = null;
  let outputDevice: string | null = null;
  let keepAliveTimer: ReturnType<typeof setTimeout> | null = null;
  /** The connection was found dead (or the browser went offline) and is being replaced. */
  let linkDown = false;
  let connectStartedAt = 0;
  let browserOffline = false;

  const setRegistration = (next: RegistrationState) => {
    if (next.kind === 'registering' && registration.kind === 'registering') return;
    registration = next;
    log('info', `registration: ${next.kind}${next.kind === 'failed' ? ` (${next.reason})` : ''}`);
    emit('registration', next);
  };

  const target = (number: string): URI => {
    const uri = UserAgent.makeURI(`sip:${number}@${domain}`);
    if (!uri || !/^[0-9A-Za-z*#+._-]+$/.test(number)) throw new Error(t('phone.numberInvalid'));
    return uri;
  };

  const ua = new UserAgent({
    uri: UserAgent.makeURI(`sip:${user}@${domain}`),
    authorizationUsername: config.authUser ?? user,
    authorizationPassword: config.password,
    displayName: config.displayName ?? user,
    transportOptions: { server: config.server, connectionTimeout: connectTimeoutMs / 1000 },
    sessionDescriptionHandlerFactoryOptions: {
      peerConnectionConfiguration: { iceServers: config.iceServers },
      // Without STUN/TURN, host candidates are all there is and come at once; Chromium's
      // "gathering complete" still takes ~100 ms per side, which doubles call set-up time.
      iceGatheringTimeout: config.iceGatheringTimeoutMs ?? (config.iceServers.length ? 2000 : 50),
    },
    sipExtensionReplaces: SIPExtension.Supported,
    logBuiltinEnabled: false,
    logLevel: 'warn',
    logConnector: (level, category, _label, content) =>
      log(level === 'log' ? 'debug' : level, `${category}: ${redact(content)}`),
    delegate: {
      onConnect: () => {
        attempt = 0;
        connectStartedAt = 0;
        void register();
      },
      onDisconnect: (error) => {
        stopKeepAlive();
        if (stopped) return;
        log('warn', `transport lost${error ? `: ${error.message}` : ''}`);
        retryAfterFailure();
      },
      onInvite: (invitation) => onIncoming(invitation),
    },
  });
  const registerer = new Registerer(ua, { expires });
  registerer.stateChange.addListener((state) => {
    if (state === RegistererState.Unregistered && registration.kind === 'registered') {
      setRegistration({ kind: 'unregistered', message: ui('phone.unregistered') });
    }
  });

  function failUnreachable(retryInMs: number | null) {
    setRegistration({
      kind: 'failed',
      reason: 'unreachable',
      message: ui('phone.unreachable', { server: config.server }),
      retryAt: retryInMs === null ? null : Date.now() + retryInMs,
    });
  }

  function scheduleReconnect(delayMs?: number) {
    if (stopped || retryTimer) return;
    const base = Math.min(backoff.max, backoff.first * 2 ** attempt);
    const delay = delayMs ?? Math.round(base * (0.8 + Math.random() * 0.4));
    attempt++;
    if (linkDown) {
      setRegistration({
        kind: 'failed',
        reason: 'unreachable',
        message: offline() ? ui('phone.offline') : ui('phone.linkLost'),
        retryAt: Date.now() + delay,
      });
    } else {
      failUnreachable(delay);
    }
    retryTimer = setTimeout(() => {
      retryTimer = null;
      connect();
    }, delay);
  }

  /**
   * After a failed or lost connection. An attempt that ran into its timeout met a dead path
   * (packets dropped), not a refusing server: while the link is down it is tried again at once
   * rather than backed off, so the path is used as soon as it returns.
   */
  function retryAfterFailure() {
    const timedOut =
      connectStartedAt > 0 && Date.now() - connectStartedAt >= connectTimeoutMs * 0.9;
    if (timedOut && linkDown) {
      attempt = 0;
      scheduleReconnect(100);
    } else {
      scheduleReconnect();
    }
  }

  function connect() {
    if (stopped) return;
    if (registration.kind !== 'failed') {
      setRegistration({ kind: 'registering', message: ui('phone.registering') });
    }
    connectStartedAt = Date.now();
    const op = ua.state === UserAgentState.Started ? ua.reconnect() : ua.start();
    op.catch((e: unknown) => {
      log('warn', `connect failed: ${e instanceof Error ? e.message : String(e)}`);
      retryAfterFailure();
    });
  }

  async function register(): Promise<void> {
    if (stopped) return;
    if (registration.kind !== 'registered') {
      setRegistration({ kind: 'registering', message: ui('phone.registering') });
    }
    await registerer
      .register({
        requestDelegate: {
          // Not the registerer's state change: after a reconnect it is still "Registered".
          onAccept: () => {
            linkDown = false;
            setRegistration({
              kind: 'registered',
              message: ui('phone.registered'),
              since: Date.now(),
            });
            startKeepAlive();
          },
          onReject: (response) => {
            const { statusCode = 0, reasonPhrase = '' } = response.message;
            if (statusCode === 401 || statusCode === 403 || statusCode === 407) {
              setRegistration({
                kind: 'failed',
                reason: 'credentials',
                message: ui('phone.wrongCredentials'),
                retryAt: null,
              });
            } else if (statusCode === 408 || statusCode >= 500) {
              scheduleReconnect();
            } else {
              setRegistration({
                kind: 'failed',
                reason: 'rejected',
                message: ui('phone.rejected', { code: statusCode, reason: reasonPhrase }),
                retryAt: null,
              });
            }
          },
        },
      })
      .catch((e: unknown) => {
        log('warn', `register failed: ${e instanceof Error ? e.message : String(e)}`);
        if (e instanceof RequestPendingError) {
          // A REGISTER sent before the connection dropped is still waiting for its answer.
          setTimeout(() => void register(), 1000);
        } else {
          scheduleReconnect();
        }
      });
  }

  // ---------------------------------------------------------------- keep-alive

  function stopKeepAlive() {
    if (keepAliveTimer) clearTimeout(keepAliveTimer);
    keepAliveTimer = null;
  }

  function startKeepAlive() {
    stopKeepAlive();
    if (stopped || keepAlive.intervalMs <= 0) return;
    keepAliveTimer = setTimeout(probeLink, keepAlive.intervalMs);
  }

  /**
   * Asks the registrar for an answer (SIP OPTIONS to the domain) and waits `timeoutMs` for it.
   * Any answer, even an error status, proves the path; none means the connection is dead,
   * however open the WebSocket looks (a pulled cable, a Wi-Fi roam, a NAT that forgot the flow).
   */
  function probeLink() {
    keepAliveTimer = null;
    if (stopped || linkDown || !ua.isConnected()) return;
    let settled = false;
    const answered = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      startKeepAlive();
    };
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      linkLost(`no answer to a keep-alive within ${keepAlive.timeoutMs} ms`);
    }, keepAlive.timeoutMs);
    try {
      const core = ua.userAgentCore;
      const self = ua.configuration.uri;
      const message = core.makeOutgoingRequestMessage(
        'OPTIONS',
        UserAgent.makeURI(`sip:${domain}`) ?? self,
        self,
        self,
        {},
      );
      core.request(message, {
        onAccept: answered,
        onReject: answered,
        onRedirect: answered,
      });
    } catch (e) {
      clearTimeout(timer);
      settled = true;
      linkLost(`keep-alive could not be sent: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** The browser said it went offline (its `offline` event; not navigator.onLine, which a
   * machine with only loopback or a VPN reports wrongly). */
  function offline(): boolean {
    return browserOffline;
  }

  /** The connection is dead: say so, drop it and dial again at once. */
  function linkLost(why: string) {
    if (stopped) return;
    const message = offline() ? ui('phone.offline') : ui('phone.linkLost');
    if (linkDown || registration.kind === 'failed') {
      // Already reconnecting: only say why, if it is news.
      if (registration.kind === 'failed' && registration.message !== message) {
        setRegistration({ ...registration, message });
      }
      linkDown = true;
      return;
    }
    linkDown = true;
    stopKeepAlive();
    log('warn', `link lost: ${why}`);
    setRegistration({ kind: 'failed', reason: 'unreachable', message, retryAt: Date.now() });
    // Closing a dead WebSocket can take long; connecting again replaces it at once.
    void ua.transport.disconnect().catch(() => undefined);
    if (retryTimer) {
      clearTimeout(retryTimer);
      retryTimer = null;
    }
    attempt = 0;
    connect();
  }

  // ---------------------------------------------------------------- calls

  function update(entry: CallEntry, patch: Partial<CallInfo>) {
    entry.info = { ...entry.info, ...patch };
    emit('call', entry.info);
  }

  function get(callId: string): CallEntry {
    const entry = entries.get(callId);
    if (!entry) throw new Error(`unknown call ${callId}`);
    return entry;
  }

  function playRemoteAudio(entry: CallEntry) {
    const sdh = entry.session.sessionDescriptionHandler;
    if (!(sdh instanceof Web.SessionDescriptionHandler) || typeof document === 'undefined') return;
    if (!entry.audio) {
      entry.audio = document.createElement('audio');
      entry.audio.autoplay = true;
      if (outputDevice) void entry.audio.setSinkId?.(outputDevice).catch(() => undefined);
    }
    entry.audio.srcObject = sdh.remoteMediaStream;
    void entry.audio.play().catch(() => undefined);
  }

  function track(session: Session, info: Omit<CallInfo, 'id' | 'createdAt'>): CallEntry {
    const entry: CallEntry = {
      info: { ...info, id: `c${++seq}-${Date.now().toString(36)}`, createdAt: Date.now() },
      session,
      audio: null,
    };
    entries.set(entry.info.id, entry);
    session.stateChange.addListener((state) => {
      if (state === SessionState.Established) {
        update(entry, { status: 'established', answeredAt: entry.info.answeredAt ?? Date.now() });
        playRemoteAudio(entry);
      } else if (state === SessionState.Terminated) {
        if (entry.audio) entry.audio.srcObject = null;
        update(entry, { status: 'ended', endedAt: Date.now() });
        entries.delete(entry.info.id);
      }
    });
    session.delegate = {
      onInfo: (info: Info) => {
        const digit = parseDtmfInfo(info.request.getHeader('Content-Type'), info.request.body);
        void info.accept();
        if (digit) emit('dtmf', { callId: entry.info.id, digit });
      },
      onInvite: (request) => {
        const remoteHeld = sdpDirectionIsHold(request.body);
        if (remoteHeld !== entry.info.remoteHeld) update(entry, { remoteHeld });
      },
      onRefer: (referral: Referral) => void onReferred(entry, referral),
    };
    emit('call', entry.info);
    return entry;
  }

  const mediaOptions = {
    constraints: {
      // A preference, not `exact`: an unplugged headset falls back to the default microphone.
      audio: config.microphoneId ? { deviceId: config.microphoneId } : true,
      video: false,
    },
  };

  function onIncoming(invitation: Invitation) {
    const identity = invitation.remoteIdentity;
    const replacee = invitation.replacee;
    const replaced = replacee ? [...entries.values()].find((e) => e.session === replacee) : null;
    const entry = track(invitation, {
      sipCallId: invitation.request.callId,
      direction: 'inbound',
      number: identity.uri.user ?? '',
      displayName: identity.displayName || identity.uri.user || '',
      status: 'ringing',
      held: false,
      remoteHeld: sdpDirectionIsHold(invitation.body),
      muted: false,
      answeredAt: null,
      endedAt: null,
      endReason: null,
      replacedCallId: replaced?.info.id ?? null,
      referredFromCallId: null,
    });
    if (replaced) {
      // Attended transfer: the caller replaces a call we already have; take it over at once
      // (sip.js then ends the replaced call).
      void answer(entry.info.id).catch((e: unknown) => log('error', `replace: ${String(e)}`));
      return;
    }
    emit('incoming', entry.info);
  }

  function failCall(entry: CallEntry, reason: string, endCode: number | null = null) {
    update(entry, { endReason: reason, endCode });
  }

  async function call(number: string, referredFrom: CallEntry | null = null): Promise<CallInfo> {
    if (registration.kind !== 'registered') throw new Error(ui('phone.notRegistered'));
    const inviter = new Inviter(ua, target(number), {
      sessionDescriptionHandlerOptions: mediaOptions,
    });
    return placeCall(inviter, number, referredFrom);
  }

  async function placeCall(
    inviter: Inviter,
    number: string,
    referredFrom: CallEntry | null,
  ): Promise<CallInfo> {
    const entry = track(inviter, {
      sipCallId: inviter.request.callId,
      direction: 'outbound',
      number,
      displayName: number,
      status: 'dialing',
      held: false,
      remoteHeld: false,
      muted: false,
      answeredAt: null,
      endedAt: null,
      endReason: null,
      replacedCallId: null,
      referredFromCallId: referredFrom?.info.id ?? null,
    });
    try {
      await inviter.invite({
        requestDelegate: {
          onReject: (response) => {
            const { statusCode = 0, reasonPhrase = '' } = response.message;
            failCall(entry, callFailureText(statusCode, reasonPhrase), statusCode);
          },
        },
      });
    } catch (e) {
      failCall(entry, mediaErrorText(e) ?? (e instanceof Error ? e.message : String(e)));
      throw new Error(entry.info.endReason ?? 'call failed', { cause: e });
    }
    return entry.info;
  }

  async function answer(callId: string): Promise<void> {
    const { session } = get(callId);
    if (!(session instanceof Invitation)) throw new Error('not an incoming call');
    try {
      await session.accept({ sessionDescriptionHandlerOptions: mediaOptions });
    } catch (e) {
      const text = mediaErrorText(e);
      if (text) failCall(get(callId), text);
      throw text ? new Error(text, { cause: e }) : e;
    }
  }

  async function reject(callId: string): Promise<void> {
    const { session } = get(callId);
    if (session instanceof Invitation && session.state === SessionState.Initial) {
      await session.reject({ statusCode: 486 });
    } else {
      await hangup(callId);
    }
  }

  async function hangup(callId: string): Promise<void> {
    const entry = entries.get(callId);
    if (!entry || CLOSED_STATES.has(entry.session.state)) return;
    const { session } = entry;
    if (session.state === SessionState.Established) await session.bye();
    else if (session instanceof Inviter) await session.cancel();
    else if (session instanceof Invitation) await session.reject();
  }

  async function setHold(callId: string, hold: boolean): Promise<void> {
    const entry = get(callId);
    const { session } = entry;
    if (session.state !== SessionState.Established) throw new Error('call not established');
    if (entry.info.held === hold) return;
    // sip.js re-offers with sendonly (or inactive) on hold, sendrecv (or recvonly) on resume.
    const reInvite: Web.SessionDescriptionHandlerOptions = { ...mediaOptions, hold };
    session.sessionDescriptionHandlerOptionsReInvite = reInvite;
    await new Promise<void>((resolve, reject) => {
      session
        .invite({
          requestDelegate: {
            onAccept: () => resolve(),
            onReject: (r) => reject(new Error(`re-INVITE rejected: ${r.message.statusCode}`)),
          },
        })
        .catch(reject);
    });
    const sdh = session.sessionDescriptionHandler;
    if (sdh instanceof Web.SessionDescriptionHandler)
      sdh.enableSenderTracks(!hold && !entry.info.muted);
    update(entry, { held: hold });
  }

  function setMuted(callId: string, muted: boolean) {
    const entry = get(callId);
    const sdh = entry.session.sessionDescriptionHandler;
    if (sdh instanceof Web.SessionDescriptionHandler)
      sdh.enableSenderTracks(!muted && !entry.info.held);
    update(entry, { muted });
  }

  async function sendDtmf(callId: string, digits: string, mode: DtmfMode = 'rfc4733') {
    if (!isDtmfDigits(digits)) throw new Error(t('phone.numberInvalid'));
    const { session } = get(callId);
    if (session.state !== SessionState.Established) throw new Error('call not established');
    if (mode === 'rfc4733') {
      const sdh = session.sessionDescriptionHandler;
      const pc = sdh instanceof Web.SessionDescriptionHandler ? sdh.peerConnection : undefined;
      const sender = pc?.getSenders().find((s) => s.track?.kind === 'audio') ?? pc?.getSenders()[0];
      const dtmf = sender?.dtmf;
      if (
        !pc ||
        !dtmf ||
        !/^a=rtpmap:\d+ telephone-event\//im.test(pc.remoteDescription?.sdp ?? '')
      ) {
        throw new Error(ui('phone.dtmfNotNegotiated'));
      }
      // Negotiated, but the media path (ICE, DTLS) may still be connecting right after the
      // answer: the keys wait for it rather than fail.
      if (!dtmf.canInsertDTMF) await mediaReady(pc, dtmf, DTMF_MEDIA_WAIT_MS);
      dtmf.insertDTMF(digits, 100, 70);
      return;
    }
    for (const digit of digits) {
      await session.info({
        requestOptions: {
          body: {
            contentDisposition: 'render',
            contentType: 'application/dtmf-relay',
            content: dtmfInfoBody(digit),
          },
        },
      });
    }
  }

  /** Sends REFER and ends our call once the transfer target answered (NOTIFY 2xx). */
  function refer(entry: CallEntry, referTo: URI | Session): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const done = (error?: Error) => {
        if (settled) return;
        settled = true;
        if (error) reject(error);
        else resolve();
      };
      entry.session
        .refer(referTo, {
          requestDelegate: {
            onReject: (r) => done(new Error(`REFER rejected: ${r.message.statusCode}`)),
          },
          onNotify: (notification: Notification) => {
            void notification.accept();
            const frag = /^SIP\/2\.0 (\d{3})/.exec(notification.request.body ?? '');
            const code = frag ? Number(frag[1]) : 0;
            if (code >= 200 && code < 300) {
              void hangup(entry.info.id).finally(() => done());
            } else if (code >= 300) {
              done(new Error(`transfer failed: ${code}`));
            }
          },
        })
        .catch((e: unknown) => done(e instanceof Error ? e : new Error(String(e))));
    });
  }

  async function onReferred(entry: CallEntry, referral: Referral) {
    await referral.accept();
    const referTo = referral.referTo.uri;
    const inviter = referral.makeInviter({ sessionDescriptionHandlerOptions: mediaOptions });
    const info = await placeCall(inviter, referTo.user ?? '', entry);
    // The transferor normally hangs up after our NOTIFY 200; make sure the old call ends.
    const next = entries.get(info.id);
    next?.session.stateChange.addListener((state) => {
      if (state === SessionState.Established) void hangup(entry.info.id).catch(() => undefined);
    });
  }

  // ---------------------------------------------------------------- lifecycle

  function onOnline() {
    browserOffline = false;
    reconnectNow();
  }

  function onOffline() {
    browserOffline = true;
    linkLost('the browser went offline');
  }

  function reconnectNow() {
    if (stopped) return;
    if (retryTimer) {
      clearTimeout(retryTimer);
      retryTimer = null;
    }
    attempt = 0;
    if (ua.isConnected()) void register();
    else connect();
  }

  const phone: Phone = {
    get registration() {
      return registration;
    },
    calls: () => [...entries.values()].map((e) => e.info),
    async start() {
      if (!stopped) return;
      stopped = false;
      globalThis.addEventListener?.('online', onOnline);
      globalThis.addEventListener?.('offline', onOffline);
      // A timer that fires far too late means the machine slept: the binding may be gone.
      let last = Date.now();
      wakeTimer = setInterval(() => {
        const now = Date.now();
        if (now - last > 20_000) reconnectNow();
        last = now;
      }, 5_000);
      connect();
    },
    async stop() {
      stopped = true;
      globalThis.removeEventListener?.('online', onOnline);
      globalThis.removeEventListener?.('offline', onOffline);
      stopKeepAlive();
      if (retryTimer) clearTimeout(retryTimer);
      if (wakeTimer) clearInterval(wakeTimer);
      retryTimer = wakeTimer = null;
      for (const id of [...entries.keys()]) await hangup(id).catch(() => undefined);
      if (registerer.state === RegistererState.Registered && ua.isConnected()) {
        await registerer.unregister().catch(() => undefined);
      }
      await ua.stop().catch(() => undefined);
      setRegistration({ kind: 'unregistered', message: ui('phone.unregistered') });
    },
    reconnectNow,
    call: (number) => call(number),
    answer,
    reject,
    hangup,
    hold: (id) => setHold(id, true),
    resume: (id) => setHold(id, false),
    setMuted,
    sendDtmf,
    blindTransfer: (id, number) => refer(get(id), target(number)),
    attendedTransfer: async (id, consultId) => {
      const consult = get(consultId);
      if (consult.session.state !== SessionState.Established) {
        throw new Error('consult call not established');
      }
      await refer(get(id), consult.session);
      await hangup(consultId).catch(() => undefined);
    },
    peerConnection(callId) {
      const sdh = entries.get(callId)?.session.sessionDescriptionHandler;
      return sdh instanceof Web.SessionDescriptionHandler ? sdh.peerConnection : undefined;
    },
    async setOutputDevice(deviceId) {
      outputDevice = deviceId;
      for (const e of entries.values()) await e.audio?.setSinkId?.(deviceId);
    },
    on(event, listener) {
      listeners[event].add(listener);
      return () => void listeners[event].delete(listener);
    },
  };
  return phone;
}
