import type { KvkkFoundSok } from '../../domain/bridge/contract';
import { KVKK_TEXT_KINDS } from '../../domain/kvkk';
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
    'kvkk.findings': async ({ id }) => {
      const { request, findings } = await viaApi(() =>
        api.kvkk.requestReport({ params: { id }, query: { format: 'json' } }),
      );
      const f = findings as { soks: KvkkFoundSok[]; calls: unknown[]; messages: unknown[] };
      return {
        request,
        soks: f.soks.map((s) => ({
          id: s.id,
          regNo: s.regNo,
          status: s.status,
          createdAt: s.createdAt,
          citizenName: s.citizenName,
          citizenPhone: s.citizenPhone,
          citizenEmail: s.citizenEmail,
          address: s.address,
          anonymisedAt: s.anonymisedAt,
        })),
        calls: f.calls.length,
        messages: f.messages.length,
      };
    },
    'kvkk.correct': ({ id, ...body }) =>
      viaApi(() => api.kvkk.correctRequest({ params: { id }, body })),
    'kvkk.erase': async ({ id, reason }) =>
      (await viaApi(() => api.kvkk.eraseRequest({ params: { id }, body: { reason } }))).outcome,
    'kvkk.texts': async () => {
      const inForce = await viaApi(() => api.kvkk.texts());
      return KVKK_TEXT_KINDS.flatMap((kind) => (inForce[kind] ? [inForce[kind]] : []));
    },
    'kvkk.publishText': ({ kind, text }) =>
      viaApi(() => api.kvkk.publishText({ params: { kind }, body: { text } })),
    'kvkk.withdrawConsent': (body) => viaApi(() => api.kvkk.withdrawConsent({ body })),
  } satisfies Partial<Handlers>;
}
