import type { ApiFile } from '../../domain/api';
import { t } from '../../domain/i18n/tr';
import type { Download } from '../../domain/supervisor';
import type { Handlers } from '../dispatcher';
import type { HandlerDeps } from './deps';
import { viaApi } from './errors';

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
  const download = async (
    fetchFile: () => Promise<ApiFile>,
    fallback: string,
  ): Promise<Download> => {
    const file = await viaApi(fetchFile);
    return {
      filename: filenameOf(file.disposition, fallback),
      contentType: file.contentType,
      base64: Buffer.from(file.bytes).toString('base64'),
    };
  };
  return {
    'supervisor.agents': async () => (await viaApi(() => api.calls.agentStates())).agents,
    'supervisor.queues': () => viaApi(() => api.supervisor.queues()),
    'supervisor.queueItems': (input) => viaApi(() => api.supervisor.queueItems({ query: input })),
    'supervisor.staff': async ({ org }) =>
      (await viaApi(() => api.supervisor.staff({ query: { org } }))).staff,
    'supervisor.assign': async (input) => {
      await viaApi(() => api.supervisor.assignCallback({ body: input }));
      return null;
    },
    'supervisor.escalate': async (input) => {
      await viaApi(() => api.supervisor.escalateCallback({ body: input }));
      return null;
    },
    'supervisor.outlook': () => viaApi(() => api.supervisor.outlook()),
    'supervisor.sla': (period) => viaApi(() => api.supervisor.sla({ query: period })),
    'supervisor.volumes': (period) => viaApi(() => api.supervisor.volumes({ query: period })),
    'supervisor.mail': (period) => viaApi(() => api.supervisor.mail({ query: period })),
    'supervisor.line': () => viaApi(() => api.lineConsole.live()),
    'supervisor.export': (input) =>
      download(
        () => api.supervisor.export({ query: input }),
        `alo153-${input.report}.${input.format}`,
      ),
    'supervisor.monthlyReport': ({ month }) =>
      download(
        () => api.supervisor.monthlyReport({ query: { month } }),
        t('file.monthlyReport', { month }),
      ),
  } satisfies Partial<Handlers>;
}
