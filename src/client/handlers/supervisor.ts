import {
  QueueItemsResponseSchema,
  QueuesResponseSchema,
  OutlookResponseSchema,
  SlaResponseSchema,
  StaffResponseSchema,
  VolumesResponseSchema,
  type Download,
} from '../../domain/supervisor';
import type { AgentStateRow } from '../../domain/call';
import type { ApiFile } from '../api/http';
import type { Handlers } from '../dispatcher';
import type { HandlerDeps } from './deps';
import { viaApi } from './errors';

const query = (params: Record<string, string | number | undefined>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) search.set(key, String(value));
  }
  return search.toString();
};

/** `attachment; filename*=UTF-8''alo153-sla.csv` → "alo153-sla.csv" */
export function filenameOf(disposition: string, fallback: string): string {
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star?.[1]) return decodeURIComponent(star[1]);
  const plain = /filename="([^"]+)"/i.exec(disposition);
  return plain?.[1] ?? fallback;
}

/**
 * The supervisor console goes straight to the central API: its figures are SQL aggregates over
 * every desk's work, which no desk holds. Offline, the user gets the usual Turkish message.
 */
export function supervisorHandlers({ api }: HandlerDeps) {
  const download = async (path: string, fallback: string): Promise<Download> => {
    const file = (await viaApi(() =>
      api.call('GET', path, undefined, { accept: '*/*' }),
    )) as ApiFile;
    return {
      filename: filenameOf(file.disposition, fallback),
      contentType: file.contentType,
      base64: Buffer.from(file.bytes).toString('base64'),
    };
  };
  return {
    'supervisor.agents': async () =>
      (
        (await viaApi(() => api.call('GET', '/agents/states'))) as {
          agents: AgentStateRow[];
        }
      ).agents,
    'supervisor.queues': async () =>
      QueuesResponseSchema.parse(await viaApi(() => api.call('GET', '/supervisor/queues'))),
    'supervisor.queueItems': async (input) =>
      QueueItemsResponseSchema.parse(
        await viaApi(() => api.call('GET', `/supervisor/queues/items?${query(input)}`)),
      ),
    'supervisor.staff': async ({ org }) =>
      StaffResponseSchema.parse(
        await viaApi(() => api.call('GET', `/supervisor/staff?${query({ org })}`)),
      ).staff,
    'supervisor.assign': async (input) => {
      await viaApi(() => api.call('POST', '/supervisor/callbacks/assign', input));
      return null;
    },
    'supervisor.escalate': async (input) => {
      await viaApi(() => api.call('POST', '/supervisor/callbacks/escalate', input));
      return null;
    },
    'supervisor.outlook': async () =>
      OutlookResponseSchema.parse(await viaApi(() => api.call('GET', '/supervisor/outlook'))),
    'supervisor.sla': async (period) =>
      SlaResponseSchema.parse(
        await viaApi(() => api.call('GET', `/supervisor/sla?${query(period)}`)),
      ),
    'supervisor.volumes': async (period) =>
      VolumesResponseSchema.parse(
        await viaApi(() => api.call('GET', `/supervisor/volumes?${query(period)}`)),
      ),
    'supervisor.export': (input) =>
      download(`/supervisor/export?${query(input)}`, `alo153-${input.report}.${input.format}`),
    'supervisor.monthlyReport': ({ month }) =>
      download(`/supervisor/report.pdf?${query({ month })}`, `alo153-rapor-${month}.pdf`),
  } satisfies Partial<Handlers>;
}
