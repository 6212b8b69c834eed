import { randomUUID } from 'node:crypto';
import type { Handlers } from '../dispatcher';
import type { LocalMutations } from '../local-mutations';
import type { HandlerDeps } from './deps';
import { viaApi } from './errors';
import { filenameOf } from './supervisor';

/**
 * The "E-posta" queue (docs/mailbox.md) goes straight to the central API: the mail is there,
 * no desk holds it. Offline, the user gets the usual Turkish message ("Merkezi sunucuya
 * ulaşılamıyor…").
 */
export function mailboxHandlers({ api }: HandlerDeps, local: LocalMutations) {
  /** Mail reserved for a ŞÖK id whose local registration has not succeeded yet (retried). */
  const reserved = new Map<string, string>();
  return {
    'mailbox.list': async ({ state, q }) =>
      (await viaApi(() => api.mailbox.items({ query: { state, q, limit: 200 } }))).items,
    'mailbox.get': async ({ id }) =>
      (await viaApi(() => api.mailbox.item({ params: { id } }))).item,
    'mailbox.attachment': async ({ id }) => {
      const file = await viaApi(() => api.mailbox.attachment({ params: { id } }));
      return {
        filename: filenameOf(file.disposition, 'ek'),
        contentType: file.contentType,
        base64: Buffer.from(file.bytes).toString('base64'),
      };
    },
    'mailbox.sokAttachments': async ({ sokId }) =>
      (await viaApi(() => api.mailbox.sokAttachments({ params: { id: sokId } }))).attachments,
    'mailbox.setAside': async ({ id, ...body }) => {
      await viaApi(() => api.mailbox.setAside({ params: { id }, body }));
      return null;
    },
    'mailbox.link': async ({ id, regNo }) => {
      const linked = await viaApi(() => api.mailbox.link({ params: { id }, body: { regNo } }));
      return { sokId: linked.sokId, regNo: linked.regNo };
    },
    /**
     * The mail is reserved on the API for the id generated here first (so the ŞÖK's e-mail
     * receipt answers it in its thread); then the ŞÖK is registered as any intake, locally
     * with its `sok.create` in the outbox. A failed reservation registers nothing; a local
     * registration that fails after it (no numbers left) is retried with the same id, which the
     * API accepts again.
     */
    'mailbox.register': async ({ id, draft }) => {
      const sokId = reserved.get(id) ?? randomUUID();
      await viaApi(() => api.mailbox.register({ params: { id }, body: { sokId } }));
      reserved.set(id, sokId);
      const sok = local.create(draft, sokId);
      reserved.delete(id);
      return sok;
    },
  } satisfies Partial<Handlers>;
}
