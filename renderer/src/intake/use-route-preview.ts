import { useEffect, useState } from 'react';
import type { RoutePreview } from '../../../src/domain/bridge/contract';
import { call } from '../bridge';
import { useDebounced } from '../ui/use-debounced';

export interface RoutePreviewState {
  /** idle: topic or district missing; loading: asked, answer not in (preview is the last one). */
  status: 'idle' | 'loading' | 'ready';
  preview: RoutePreview | null;
  error: string | null;
}

interface Answer {
  key: string;
  preview: RoutePreview | null;
  error: string | null;
}

/** Where the routing rules send a ŞÖK with this topic and place, asked as the agent types. */
export function useRoutePreview(input: {
  topicCode: string;
  districtCode: string;
  mahalle: string;
  address: string;
}): RoutePreviewState {
  const key =
    input.topicCode && input.districtCode
      ? JSON.stringify([
          input.topicCode,
          input.districtCode,
          input.mahalle.trim().slice(0, 120),
          input.address.trim().slice(0, 500),
        ])
      : null;
  const settled = useDebounced(key, 250);
  const [answer, setAnswer] = useState<Answer | null>(null);

  useEffect(() => {
    if (settled === null) return;
    let live = true;
    const [topicCode, districtCode, mahalle, address] = JSON.parse(settled) as string[];
    call('routing.preview', {
      topicCode: topicCode ?? '',
      districtCode: districtCode ?? '',
      mahalle: mahalle ?? '',
      address: address ?? '',
    }).then(
      (preview) => {
        if (live) setAnswer({ key: settled, preview, error: null });
      },
      (error: unknown) => {
        if (live) setAnswer({ key: settled, preview: null, error: (error as Error).message });
      },
    );
    return () => {
      live = false;
    };
  }, [settled]);

  if (key === null) return { status: 'idle', preview: null, error: null };
  if (answer?.key === key) return { status: 'ready', preview: answer.preview, error: answer.error };
  // While the next answer comes, the last one stays on screen (no flicker while typing).
  return { status: 'loading', preview: answer?.preview ?? null, error: null };
}
