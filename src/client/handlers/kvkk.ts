import type { Download } from '../../domain/supervisor';
import type { Handlers } from '../dispatcher';
import type { HandlerDeps } from './deps';
import { viaApi } from './errors';
import { filenameOf } from './supervisor';

/**
 * The KVKK screen (issue #19): the access log, the citizens' requests and the retention schedule
 * live on the central API only; the screen is online-only (offline: the usual Turkish message).
 */
export function kvkkHandlers({ api }: HandlerDeps) {
  const toDownload = (
    file: { bytes: Uint8Array; contentType: string; disposition: string },
    fallback: string,
  ): Download => ({
    filename: filenameOf(file.disposition, fallback),
    contentType: file.contentType,
    base64: Buffer.from(file.bytes).toString('base64'),
  });
  return {
    'kvkk.accessLog': async (filter) =>
      (await viaApi(() => api.kvkk.accessLog({ query: filter }))).entries,
    'kvkk.accessLogCsv': async (filter) =>
      toDownload(await viaApi(() => api.kvkk.accessLogCsv({ query: filter })), 'erisim-kaydi.csv'),
    'kvkk.requests': async ({ state }) =>
      (await viaApi(() => api.kvkk.requests({ query: { state } }))).requests,
    'kvkk.registerRequest': (body) => viaApi(() => api.kvkk.registerRequest({ body })),
    'kvkk.requestPdf': async ({ id }) =>
      toDownload(
        await viaApi(() => api.kvkk.requestReportPdf({ params: { id } })),
        'kvkk-yanit.pdf',
      ),
    'kvkk.answerRequest': ({ id, note }) =>
      viaApi(() => api.kvkk.answerRequest({ params: { id }, body: { note } })),
    'kvkk.retention': async () => (await viaApi(() => api.kvkk.retention())).schedule,
    'kvkk.setRetention': async (schedule) =>
      (await viaApi(() => api.kvkk.setRetention({ body: schedule }))).schedule,
  } satisfies Partial<Handlers>;
}
