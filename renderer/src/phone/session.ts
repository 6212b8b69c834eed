import { create } from 'zustand';
import type { CallerContext } from '../../../src/domain/bridge/contract';
import {
  attemptOutcomeOfCall,
  dialStringFor,
  type AgentStateKind,
  type AgentStateView,
  type BreakReason,
  type CallDisposition,
  type CallLogEntry,
  type CallLogPayload,
  type CallOutcome,
  type PhoneSettings,
  type PhoneSettingsView,
} from '../../../src/domain/call';
import type { AttemptOutcome } from '../../../src/domain/workflow';
import { canonicalPhone, formatPhoneForDisplay } from '../../../src/domain/phone';
import type { Sok } from '../../../src/domain/sok';
import { call } from '../bridge';
import { currentCallOf, primaryCall, reportKey } from './current-call';
import type { CallInfo } from './phone';
import type { PhoneShortcut } from './shortcuts';
import { setRingerDevice, startRinging, stopRinging } from './ringer';
import { usePhone } from './store';
import { ui } from '../i18n';

/**
 * The phone as part of the app: connects the softphone with the signed-in user's settings (the
 * SIP password fetched just in time from the core, handed to sip.js, never stored here), keeps
 * the agent's state, rings and pops the caller's context on incoming calls, reports the call in
 * progress for the supervisors' live board, logs every call when it ends and asks for its
 * wrap-up. React components read this store; the SIP work stays in phone.ts / store.ts.
 */
export interface ScreenPop {
  callId: string;
  sipCallId: string;
  /** E.164 when the number parses, else as presented. */
  phone: string;
  /** As an agent reads it. */
  display: string;
  name: string;
  context: CallerContext | null;
}

export interface PendingWrapUp {
  entry: CallLogEntry;
  /** Epoch ms when wrap-up time ends and the agent is offered calls again. */
  until: number;
  /** The caller's earlier ŞÖKs, to link one. */
  context: CallerContext | null;
  /** The ŞÖK linked during the call, offered first. */
  sokId: string | null;
}

/** The call made from a ŞÖK's callback task, and the attempt its result proposes. */
export interface CallbackCall {
  entry: CallLogEntry;
  outcome: AttemptOutcome;
}

interface PhoneSessionState {
  view: PhoneSettingsView | null;
  /** By ŞÖK id: the last call made from its callback task, until the attempt is logged. */
  callbackCalls: Record<string, CallbackCall>;
  agent: AgentStateView | null;
  /**
   * The line set the agent not ready (an offered call rang out here): why, in Turkish, while
   * that is still their state. The header shows it; choosing a state clears it.
   */
  lineNotReady: { reasonText: string; since: string } | null;
  pops: ScreenPop[];
  wrapUps: PendingWrapUp[];
  log: CallLogEntry[];
  missedOnly: boolean;
  /** Last failure of the phone's own work (settings, call log), Turkish. */
  error: string | null;
  settingsOpen: boolean;
  logOpen: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Before signing out: the agent goes offline for supervisors (sent now when online). */
  signOff(): Promise<void>;
  saveSettings(settings: PhoneSettings, password: string): Promise<void>;
  setAgentState(state: AgentStateKind, reason?: BreakReason | null): Promise<void>;
  /**
   * What the central API's line says of the agent's state (read with the header's waiting
   * count): a not-ready newer than the state this desk last set becomes the desk's state.
   */
  lineSetState(setByLine: { reasonText: string; since: string } | null): void;
  /**
   * A ŞÖK was registered, or this caller added to an open one, while a call is being talked:
   * it is linked to that call (the supervisors' board shows its number; the wrap-up offers it).
   */
  linkSok(sok: Sok): void;
  wrapUp(
    callId: string,
    input: { disposition: CallDisposition; sokId: string | null; note: string },
  ): Promise<void>;
  loadLog(missedOnly?: boolean): Promise<void>;
  openSettings(open: boolean): void;
  openLog(open: boolean): void;
  /**
   * Calls the citizen of a ŞÖK from its callback task: when the call ends, its call-log row and
   * the attempt it proposes wait in `callbackCalls` for the agent to confirm.
   */
  callForCallback(sokId: string, phone: string): Promise<void>;
  /** The attempt was logged (or the agent detached the call): the proposal goes. */
  clearCallbackCall(sokId: string): void;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** A number as stored (canonical: E.164 for a citizen) and as an agent reads it, from any form. */
export function displayNumber(number: string): { phone: string; display: string } {
  return { phone: canonicalPhone(number), display: formatPhoneForDisplay(number) };
}

let offs: (() => void)[] = [];
let wrapTimer: ReturnType<typeof setTimeout> | null = null;
/** Incoming calls the agent (or do-not-disturb / break) turned away: logged as rejected. */
const turnedAway = new Set<string>();
const seenIncoming = new Set<string>();
let logSeq = 0;
/** The id each call on the line gets in the call log (and on the board), by the phone's id. */
const callIds = new Map<string, string>();
/** ŞÖKs linked while a call was being talked, by the phone's call id. */
const linkedSoks = new Map<string, Sok>();
/** Outbound calls made from a callback task: the ŞÖK id, by the phone's call id. */
const callbackSoks = new Map<string, string>();
/** The callback task whose call is being dialled now (tags the next outbound call seen). */
let dialingFor: string | null = null;
const seenOutbound = new Set<string>();
/** What was last reported as the call in progress (undefined: report whatever is current). */
let reportedKey: string | undefined;

function callIdOf(c: CallInfo): string {
  let id = callIds.get(c.id);
  if (id === undefined) {
    id = crypto.randomUUID();
    callIds.set(c.id, id);
  }
  return id;
}

/** Tells the core which call this desk is on now, when that changed (docs/supervisor.md). */
function reportCurrentCall(calls: readonly CallInfo[]) {
  const current = currentCallOf(calls, {
    turnedAway,
    idOf: callIdOf,
    sokIdOf: (c) => linkedSoks.get(c.id)?.id ?? null,
  });
  const key = reportKey(current);
  if (key === reportedKey) return;
  reportedKey = key;
  // Queued by the core like any change; only a signed-out desk fails here, and it has no calls.
  void call('call.current', { call: current }).catch(() => undefined);
}

/** The agent rejects a ringing call: logged as rejected (a callback is still owed). */
export function rejectIncoming(callId: string): Promise<void> {
  turnedAway.add(callId);
  return usePhone.getState().reject(callId);
}

/**
 * Runs a keyboard shortcut (shortcuts.ts) on the call it concerns: answer the ringing call; hang
 * up the call being talked (else reject the ringing one, else cancel the one being dialled);
 * hold or resume the call being talked. False when there is no such call.
 */
export function runPhoneShortcut(action: PhoneShortcut): boolean {
  const phone = usePhone.getState();
  const live = phone.calls.filter((c) => c.status !== 'ended' && !turnedAway.has(c.id));
  const ringing = live.find((c) => c.direction === 'inbound' && c.status === 'ringing');
  const talking = live.filter((c) => c.status === 'established');
  const active = talking.find((c) => !c.held) ?? talking[0];
  const dialling = live.find((c) => c.status === 'dialing');
  if (action === 'answer') {
    if (!ringing) return false;
    void phone.answer(ringing.id);
  } else if (action === 'hold') {
    if (!active) return false;
    void phone.toggleHold(active.id);
  } else if (active) {
    void phone.hangup(active.id);
  } else if (ringing) {
    void rejectIncoming(ringing.id);
  } else if (dialling) {
    void phone.hangup(dialling.id);
  } else {
    return false;
  }
  return true;
}

export const usePhoneSession = create<PhoneSessionState>((set, get) => {
  const settings = () => get().view?.settings ?? null;

  async function setState(state: AgentStateKind, reason: BreakReason | null = null) {
    // Takes effect at once (do-not-disturb must hold for a call already on its way); the core's
    // answer then confirms it, or the previous state comes back with the error.
    const before = get().agent;
    set({ agent: { state, reason, since: new Date().toISOString() }, lineNotReady: null });
    try {
      set({ agent: await call('agent.state.set', { state, reason }) });
    } catch (e) {
      set({ agent: before });
      throw e;
    }
  }

  async function connect() {
    const s = settings();
    if (!s || !get().view?.hasPassword) return;
    const creds = await call('phone.credentials', {});
    await usePhone.getState().connect({
      server: creds.server,
      user: creds.user,
      ...(creds.authUser ? { authUser: creds.authUser } : {}),
      password: creds.password,
      displayName: creds.displayName,
      iceServers: creds.iceServers,
      ...(s.microphoneId ? { microphoneId: s.microphoneId } : {}),
    });
    if (s.speakerId) await usePhone.getState().setOutputDevice(s.speakerId);
    await setRingerDevice(s.ringerId);
    if (get().agent?.state === 'offline') await setState('available');
  }

  function onIncoming(c: CallInfo) {
    const state = get().agent?.state;
    if (state === 'dnd' || state === 'break') {
      turnedAway.add(c.id);
      void usePhone.getState().reject(c.id);
      return;
    }
    const { phone, display } = displayNumber(c.number);
    const pop: ScreenPop = {
      callId: c.id,
      sipCallId: c.sipCallId,
      phone,
      display,
      name: c.displayName !== c.number ? c.displayName : '',
      context: null,
    };
    set((s) => ({ pops: [...s.pops, pop] }));
    void call('sok.callerContext', { phone })
      .then((context) =>
        set((s) => ({ pops: s.pops.map((p) => (p.callId === c.id ? { ...p, context } : p)) })),
      )
      .catch(() => undefined);
    void notify(c.id, display);
    if (settings()?.autoAnswer) void usePhone.getState().answer(c.id);
  }

  /** Through the bridge in both hosts: the shell policy denies the web Notification API. */
  async function notify(callId: string, display: string) {
    await call('app.notify', {
      kind: 'incoming-call',
      key: `incoming-call:${callId}`,
      title: ui('phone.incomingTitle'),
      body: display,
    }).catch(() => undefined);
  }

  async function onEnded(c: CallInfo) {
    const pop = get().pops.find((p) => p.callId === c.id) ?? null;
    set((s) => ({ pops: s.pops.filter((p) => p.callId !== c.id) }));
    seenIncoming.delete(c.id);
    const id = callIds.get(c.id) ?? crypto.randomUUID();
    const linked = linkedSoks.get(c.id) ?? null;
    callIds.delete(c.id);
    linkedSoks.delete(c.id);
    const answered = c.answeredAt !== null;
    const outcome: CallOutcome = answered
      ? 'answered'
      : c.direction === 'outbound'
        ? 'failed'
        : turnedAway.has(c.id)
          ? 'rejected'
          : 'missed';
    turnedAway.delete(c.id);
    const payload: CallLogPayload = {
      id,
      sipCallId: c.sipCallId,
      direction: c.direction,
      number: canonicalPhone(c.number).slice(0, 64),
      startedAt: new Date(c.createdAt).toISOString(),
      answeredAt: answered ? new Date(c.answeredAt!).toISOString() : null,
      endedAt: new Date(Math.max(c.endedAt ?? Date.now(), c.createdAt)).toISOString(),
      outcome,
      endReason: (c.endReason ?? '').slice(0, 300),
    };
    const callbackSok = callbackSoks.get(c.id) ?? null;
    callbackSoks.delete(c.id);
    seenOutbound.delete(c.id);
    try {
      const entry = await call('call.record', payload);
      if (callbackSok !== null) {
        const proposed: CallbackCall = {
          entry,
          outcome: attemptOutcomeOfCall({
            outcome,
            endCode: c.endCode ?? null,
            endReason: payload.endReason,
          }),
        };
        set((s) => ({ callbackCalls: { ...s.callbackCalls, [callbackSok]: proposed } }));
      }
      if (answered) {
        const seconds = settings()?.wrapUpSeconds ?? 30;
        const read =
          pop?.context ??
          (await call('sok.callerContext', { phone: displayNumber(c.number).phone }).catch(
            () => null,
          ));
        const context = withLinked(read, linked);
        set((s) => ({
          wrapUps: [
            ...s.wrapUps,
            { entry, until: Date.now() + seconds * 1000, context, sokId: linked?.id ?? null },
          ],
        }));
        if (get().agent?.state === 'available') await setState('wrap-up');
        scheduleWrapUpEnd(seconds);
      }
    } catch (e) {
      set({ error: ui('phone.logFailed', { why: message(e) }) });
    }
    void get().loadLog();
  }

  /** Wrap-up time over: the agent is offered calls again; the disposition is still asked for. */
  function scheduleWrapUpEnd(seconds: number) {
    if (wrapTimer) clearTimeout(wrapTimer);
    wrapTimer = setTimeout(() => {
      wrapTimer = null;
      if (get().agent?.state === 'wrap-up') void setState('available').catch(() => undefined);
    }, seconds * 1000);
  }

  function watchPhone() {
    const phone = usePhone.getState();
    offs.push(phone.onCallEnded((c) => void onEnded(c)));
    offs.push(
      usePhone.subscribe((s) => {
        for (const c of s.calls) {
          if (c.direction !== 'outbound' || seenOutbound.has(c.id)) continue;
          seenOutbound.add(c.id);
          if (dialingFor !== null) {
            callbackSoks.set(c.id, dialingFor);
            dialingFor = null;
          }
        }
        const ringing = s.calls.filter((c) => c.direction === 'inbound' && c.status === 'ringing');
        for (const c of ringing) {
          if (!seenIncoming.has(c.id)) {
            seenIncoming.add(c.id);
            onIncoming(c);
          }
        }
        if (ringing.some((c) => !turnedAway.has(c.id))) startRinging();
        else stopRinging();
        reportCurrentCall(s.calls);
      }),
    );
  }

  return {
    view: null,
    callbackCalls: {},
    agent: null,
    lineNotReady: null,
    pops: [],
    wrapUps: [],
    log: [],
    missedOnly: false,
    error: null,
    settingsOpen: false,
    logOpen: false,
    async start() {
      await get().stop();
      try {
        const [view, agent] = await Promise.all([
          call('phone.settings.get', {}),
          call('agent.state.get', {}),
        ]);
        set({ view, agent, error: null });
        watchPhone();
        // A fresh phone has no call: one the desk reported before a crash or reload is over.
        reportedKey = undefined;
        if (view.settings) reportCurrentCall(usePhone.getState().calls);
        await connect();
      } catch (e) {
        set({ error: message(e) });
      }
      void get().loadLog();
    },
    async stop() {
      for (const off of offs) off();
      offs = [];
      if (wrapTimer) clearTimeout(wrapTimer);
      wrapTimer = null;
      stopRinging();
      await usePhone.getState().disconnect();
      callIds.clear();
      linkedSoks.clear();
      callbackSoks.clear();
      seenOutbound.clear();
      dialingFor = null;
      set({ pops: [], wrapUps: [], callbackCalls: {} });
    },
    async signOff() {
      const state = get().agent?.state;
      if (!state || state === 'offline' || !settings()) return;
      try {
        await setState('offline');
        await call('sync.now', {});
      } catch {
        // Offline: the change goes with the next sync; sign-out goes on regardless.
      }
    },
    async saveSettings(next, password) {
      const before = settings();
      const view = await call('phone.settings.save', {
        settings: next,
        ...(password ? { password } : {}),
      });
      // The page may only open WebSockets its CSP names: a new SIP server needs a fresh page.
      if (before?.server !== next.server) {
        set({ view });
        window.location.reload();
        return;
      }
      const reRegister =
        !!password ||
        (['sipUser', 'authUser', 'displayName', 'microphoneId'] as const).some(
          (k) => before[k] !== next[k],
        ) ||
        JSON.stringify(before.iceServers) !== JSON.stringify(next.iceServers);
      if (reRegister) await usePhone.getState().disconnect();
      set({ view, settingsOpen: false, error: null });
      if (reRegister) {
        await connect().catch((e: unknown) => set({ error: message(e) }));
      } else {
        // Devices, auto-answer and wrap-up time apply at once, without registering again.
        await usePhone.getState().setOutputDevice(next.speakerId);
        await setRingerDevice(next.ringerId);
      }
    },
    async setAgentState(state, reason = null) {
      try {
        await setState(state, reason);
      } catch (e) {
        set({ error: message(e) });
      }
    },
    lineSetState(setByLine) {
      const agent = get().agent;
      if (setByLine === null) {
        if (get().lineNotReady !== null) set({ lineNotReady: null });
        return;
      }
      if (agent === null || !get().view?.settings) return;
      if (get().lineNotReady?.since === setByLine.since) return;
      // Only a change after the agent's own last choice: a newer choice of theirs stands (it
      // reaches the API with the next sync).
      if (Date.parse(setByLine.since) <= Date.parse(agent.since)) return;
      // The desk turns calls away while on a break, as the line no longer offers it any.
      set({
        agent: { state: 'break', reason: null, since: setByLine.since },
        lineNotReady: setByLine,
      });
    },
    linkSok(sok) {
      const talking = primaryCall(usePhone.getState().calls, turnedAway);
      if (!talking || talking.answeredAt === null) return;
      linkedSoks.set(talking.id, sok);
      reportCurrentCall(usePhone.getState().calls);
    },
    async wrapUp(callId, input) {
      await call('call.wrapUp', { callId, ...input });
      set((s) => ({ wrapUps: s.wrapUps.filter((w) => w.entry.id !== callId) }));
      if (get().wrapUps.length === 0 && get().agent?.state === 'wrap-up') {
        if (wrapTimer) clearTimeout(wrapTimer);
        wrapTimer = null;
        await setState('available');
      }
      void get().loadLog();
    },
    async loadLog(missedOnly = get().missedOnly) {
      const seq = ++logSeq;
      set({ missedOnly });
      try {
        const log = await call('call.list', { missedOnly, limit: 100 });
        // A slower answer to an earlier request (other filter) must not overwrite this one.
        if (seq === logSeq) set({ log });
      } catch {
        // Signed out meanwhile: the log is simply not shown.
      }
    },
    async callForCallback(sokId, phone) {
      dialingFor = sokId;
      try {
        await usePhone.getState().dial(dialStringFor(phone));
      } finally {
        dialingFor = null;
      }
    },
    clearCallbackCall(sokId) {
      set((s) => {
        const rest = { ...s.callbackCalls };
        delete rest[sokId];
        return { callbackCalls: rest };
      });
    },
    openSettings: (settingsOpen) => set({ settingsOpen }),
    openLog(logOpen) {
      set({ logOpen });
      if (logOpen) void get().loadLog();
    },
  };
});

/** The caller's context with the ŞÖK linked during the call first, so the wrap-up can offer it. */
function withLinked(context: CallerContext | null, linked: Sok | null): CallerContext | null {
  if (!linked) return context;
  const others = (context?.soks ?? []).filter((s) => s.id !== linked.id);
  return {
    phone: context?.phone ?? null,
    soks: [linked, ...others],
    duplicates: context?.duplicates ?? [],
  };
}
