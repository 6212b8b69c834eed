import { useEffect, useState } from 'react';
import type { CallerContext } from '../../../src/domain/bridge/contract';
import { parseTurkishPhone } from '../../../src/domain/phone';
import { bridge, call } from '../bridge';
import { useDebounced } from '../ui/use-debounced';

export interface CallerContextState {
  status: 'idle' | 'loading' | 'ready';
  /** The last answer for this number (kept while a newer one loads). */
  context: CallerContext | null;
  error: string | null;
}

interface Answer {
  key: string;
  context: CallerContext | null;
  error: string | null;
}

/**
 * The caller's history and possible duplicates, asked once the phone field holds a valid
 * number (and again when topic or mahalle change, or any ŞÖK changes).
 */
export function useCallerContext(
  phone: string,
  topicCode: string,
  mahalle: string,
): CallerContextState {
  const parsed = parseTurkishPhone(phone);
  const key = parsed.ok ? JSON.stringify([parsed.e164, topicCode, mahalle.trim()]) : null;
  const settled = useDebounced(key, 350);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [changes, setChanges] = useState(0);

  useEffect(() => bridge?.on('sok.changed', () => setChanges((n) => n + 1)), []);

  useEffect(() => {
    if (settled === null) return;
    let live = true;
    const [e164, topic, place] = JSON.parse(settled) as string[];
    call('sok.callerContext', {
      phone: e164 ?? '',
      ...(topic ? { topicCode: topic } : {}),
      ...(place ? { mahalle: place.slice(0, 120) } : {}),
    }).then(
      (context) => {
        if (live) setAnswer({ key: settled, context, error: null });
      },
      (error: unknown) => {
        if (live) setAnswer({ key: settled, context: null, error: (error as Error).message });
      },
    );
    return () => {
      live = false;
    };
  }, [settled, changes]);

  if (key === null) return { status: 'idle', context: null, error: null };
  if (answer?.key === key) return { status: 'ready', context: answer.context, error: answer.error };
  // Same number, topic or mahalle still settling: keep showing what we know about the caller.
  const samePhone = answer !== null && answer.key.startsWith(`["${parsed.ok ? parsed.e164 : ''}"`);
  return { status: 'loading', context: samePhone ? answer.context : null, error: null };
}
