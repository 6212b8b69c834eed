import { create } from 'zustand';
import {
  createPhone,
  type CallInfo,
  type Phone,
  type PhoneConfig,
  type RegistrationState,
} from './phone';
import { ui } from '../i18n';

/**
 * The renderer's view of the phone: registration and calls as plain state for React, actions
 * that forward to the core. The core (and the password inside it) lives outside the state.
 */
interface PhoneState {
  registration: RegistrationState;
  /** Live calls, oldest first; ended calls leave the list (the call log keeps them). */
  calls: CallInfo[];
  /** The last user-facing error (failed call, microphone), until dismissed. */
  error: string | null;
  connect(config: PhoneConfig): Promise<void>;
  disconnect(): Promise<void>;
  dial(number: string): Promise<void>;
  answer(callId: string): Promise<void>;
  reject(callId: string): Promise<void>;
  hangup(callId: string): Promise<void>;
  toggleHold(callId: string): Promise<void>;
  toggleMute(callId: string): void;
  dtmf(callId: string, digit: string): Promise<void>;
  blindTransfer(callId: string, number: string): Promise<void>;
  attendedTransfer(callId: string, consultCallId: string): Promise<void>;
  dismissError(): void;
  /** Plays calls on this output device (HTMLMediaElement.setSinkId); '' = system default. */
  setOutputDevice(deviceId: string): Promise<void>;
  /** Listeners for ended calls (the call log subscribes here). */
  onCallEnded(listener: (call: CallInfo) => void): () => void;
}

let phone: Phone | null = null;
let unsubscribe: (() => void)[] = [];
const endedListeners = new Set<(call: CallInfo) => void>();
/** Calls whose end is being gathered (see 'ended' below), and those already announced. */
const ending = new Map<string, CallInfo>();
const ended = new Set<string>();

export const usePhone = create<PhoneState>((set, get) => {
  const withPhone = async (run: (p: Phone) => Promise<void> | void) => {
    if (!phone) {
      set({ error: ui('phone.notRegistered') });
      return;
    }
    try {
      await run(phone);
    } catch (e) {
      set({ error: e instanceof Error ? e.message : String(e) });
    }
  };
  const call = (id: string) => get().calls.find((c) => c.id === id);

  return {
    registration: { kind: 'unregistered', message: ui('phone.unregistered') },
    calls: [],
    error: null,
    async connect(config) {
      await get().disconnect();
      const p = createPhone(config);
      phone = p;
      unsubscribe = [
        p.on('registration', (registration) => set({ registration })),
        p.on('call', (c) => {
          if (c.status === 'ended') {
            set((s) => ({
              calls: s.calls.filter((x) => x.id !== c.id),
              error: c.endReason ?? s.error,
            }));
            // sip.js ends a rejected call before it hands over the response (why, SIP status):
            // the call log hears of the end once, a moment later, with everything known.
            if (ended.has(c.id)) return;
            const first = !ending.has(c.id);
            ending.set(c.id, c);
            if (first) {
              queueMicrotask(() => {
                const last = ending.get(c.id) ?? c;
                ending.delete(c.id);
                ended.add(c.id);
                for (const l of endedListeners) l(last);
              });
            }
          } else {
            set((s) => ({
              calls: s.calls.some((x) => x.id === c.id)
                ? s.calls.map((x) => (x.id === c.id ? c : x))
                : [...s.calls, c],
            }));
          }
        }),
      ];
      await p.start();
    },
    async disconnect() {
      const p = phone;
      phone = null;
      for (const off of unsubscribe) off();
      unsubscribe = [];
      await p?.stop();
      set({ registration: { kind: 'unregistered', message: ui('phone.unregistered') }, calls: [] });
    },
    dial: (number) =>
      withPhone(async (p) => {
        await p.call(number.replace(/[\s()-]/g, ''));
      }),
    answer: (id) => withPhone((p) => p.answer(id)),
    reject: (id) => withPhone((p) => p.reject(id)),
    hangup: (id) => withPhone((p) => p.hangup(id)),
    toggleHold: (id) => withPhone((p) => (call(id)?.held ? p.resume(id) : p.hold(id))),
    toggleMute: (id) => void withPhone((p) => p.setMuted(id, !call(id)?.muted)),
    dtmf: (id, digit) => withPhone((p) => p.sendDtmf(id, digit)),
    blindTransfer: (id, number) => withPhone((p) => p.blindTransfer(id, number)),
    attendedTransfer: (id, consultId) => withPhone((p) => p.attendedTransfer(id, consultId)),
    dismissError: () => set({ error: null }),
    async setOutputDevice(deviceId) {
      // Not an error without a phone: the choice is applied when it connects.
      await phone?.setOutputDevice(deviceId).catch(() => undefined);
    },
    onCallEnded(listener) {
      endedListeners.add(listener);
      return () => void endedListeners.delete(listener);
    },
  };
});
