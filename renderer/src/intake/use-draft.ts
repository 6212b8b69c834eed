import { useEffect, useEffectEvent, useRef, useState } from 'react';
import { call } from '../bridge';
import { ui } from '../i18n';
import { isBlank, restoreDraft, type IntakeValues } from './values';

const KEY = 'intake';
const SAVE_AFTER_MS = 500;

/**
 * Keeps the form in the local store as it is typed (draft.save, debounced) so a crash, a
 * restart or a dropped call loses nothing; offers the stored draft back on start. A blank form
 * (after a save, "Temizle" or "Taslağı sil") removes the draft.
 */
export function useDraftAutosave(
  values: IntakeValues,
  onRestore: (values: IntakeValues, updatedAt: string) => void,
): { error: string | null } {
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const stored = useRef(false);
  const restore = useEffectEvent(onRestore);

  useEffect(() => {
    let live = true;
    call('draft.get', { key: KEY }).then(
      (draft) => {
        if (!live) return;
        if (draft) {
          stored.current = true;
          const restored = restoreDraft(draft.values);
          if (!isBlank(restored)) restore(restored, draft.updatedAt);
        }
        setLoaded(true);
      },
      () => {
        if (live) setLoaded(true);
      },
    );
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    if (!loaded) return;
    const fail = (e: unknown) =>
      setError(ui('draft.saveFailed', { message: (e as Error).message }));
    if (isBlank(values)) {
      if (stored.current) {
        stored.current = false;
        call('draft.clear', { key: KEY }).then(() => setError(null), fail);
      }
      return;
    }
    const timer = setTimeout(() => {
      stored.current = true;
      call('draft.save', { key: KEY, values: { ...values } }).then(() => setError(null), fail);
    }, SAVE_AFTER_MS);
    return () => clearTimeout(timer);
  }, [values, loaded]);

  return { error };
}
