import { AppError } from '../domain/errors';
import { t } from '../domain/i18n/tr';
import type { RoutingContext } from '../domain/routing';
import type { Sok, SokDraft } from '../domain/sok';
import {
  mutationPayloads,
  type SokAddContactPayloadSchema,
  type SokCreatePayload,
} from '../domain/sync';
import {
  actionOf,
  addContact,
  register,
  type CommandRefusal,
  refusalText,
  type ReferenceCheck,
  type WorkflowKind,
} from '../domain/workflow';
import type { z } from 'zod';
import type { HandlerDeps } from './handlers/deps';
import { readReferenceData } from './store/reference-repo';

/**
 * The desk's one way of making a change on a ŞÖK: the domain's command decides (the same pure
 * function the server runs), the optimistic result is stored and the mutation queued in one
 * SQLite transaction, then the screen and the sync engine are told. Registration, re-routing,
 * another caller and every workflow action go through `commit`; nothing writes a ŞÖK otherwise.
 * What the server later refuses is replaced by the server's version (docs/sync.md).
 */
export function createLocalMutations(deps: HandlerDeps) {
  const { db, soks, events, outbox, blocks, sync, routing, workflow } = deps;
  const exists = (sql: string) => {
    const stmt = db.prepare(sql).pluck();
    return (code: string) => stmt.get(code) !== undefined;
  };
  const knows: ReferenceCheck = {
    type: exists('SELECT 1 FROM sok_type WHERE code = ?'),
    channel: exists('SELECT 1 FROM channel WHERE code = ?'),
    // A ŞÖK has a leaf topic, as on the server.
    topic: exists(
      'SELECT 1 FROM topic t WHERE t.code = ? AND NOT EXISTS (SELECT 1 FROM topic c WHERE c.parent_code = t.code)',
    ),
    district: exists('SELECT 1 FROM district WHERE code = ?'),
    org: exists('SELECT 1 FROM organisation WHERE code = ?'),
  };
  const orgNames = db.prepare('SELECT name FROM organisation WHERE code = ?').pluck();
  const orgName = (code: string) => (orgNames.get(code) as string | undefined) ?? code;

  let context: RoutingContext | null = null;
  /** Districts' municipalities and the topic tree, for the routing rules (read once). */
  const routingContext = (): RoutingContext => {
    if (context) return context;
    const ref = readReferenceData(db);
    context = {
      districtOrg: new Map(
        ref.organisations.flatMap((o) =>
          o.kind === 'district-municipality' && o.districtCode
            ? [[o.districtCode, o.code] as const]
            : [],
        ),
      ),
      topicParent: new Map(ref.topics.map((x) => [x.code, x.parentCode])),
    };
    return context;
  };

  const refused = (r: CommandRefusal): AppError => {
    const { code, message, fields } = refusalText(r);
    return new AppError(code, message, fields);
  };

  function changed(id: string): void {
    events.emit('sok.changed', { id });
    sync.refreshCounts();
    sync.trigger();
  }

  return {
    routingContext,
    orgName,

    /**
     * Registers a ŞÖK here: the domain routes it, the row and its mutation commit together.
     * `id` when the ŞÖK's id was generated beforehand (a mail reserved for it, mailbox.register).
     */
    create(draft: SokDraft, id?: string): Sok {
      const actor = workflow.actor();
      const command = register(
        { ...draft, routeRuleId: null },
        { actor, knows, rules: routing.rules(), routing: routingContext(), orgName },
      );
      if (!command.ok) throw refused(command);
      const route = command.state;
      const now = deps.now();
      // Row, search index, number and outbox entry commit together or not at all.
      const sok = db.transaction(() => {
        const regNo = blocks.draw(actor.userId);
        const created = soks.insert(
          { ...draft, routeReason: route.routeReason },
          {
            ...(id !== undefined ? { id } : {}),
            regNo,
            now,
            originOrg: route.originOrg,
            createdBy: actor.userId,
            targetOrg: route.targetOrg,
            routeRuleId: route.routeRuleId,
          },
        );
        const payload: SokCreatePayload = {
          ...draft,
          targetOrg: route.targetOrg,
          routeReason: route.routeReason,
          id: created.id,
          regNo,
          registeredAt: now.toISOString(),
          routeRuleId: route.routeRuleId,
        };
        outbox.enqueue('sok.create', created.id, payload, actor.userId, now);
        return soks.get(created.id) ?? created;
      })();
      changed(sok.id);
      return sok;
    },

    /** Another caller about an open ŞÖK: only the server writes the timeline entry. */
    addContact(input: z.output<typeof SokAddContactPayloadSchema>): null {
      const actor = workflow.actor();
      const command = addContact(input, actor);
      if (!command.ok) throw refused(command);
      if (!soks.get(input.sokId)) throw new AppError('not-found', t('error.sokNotFound'));
      const now = deps.now();
      db.transaction(() => {
        outbox.enqueue('sok.addContact', input.sokId, input, actor.userId, now);
      })();
      changed(input.sokId);
      return null;
    },

    /**
     * A workflow action (route, accept, decide, …): checked and applied by the state machine
     * on the stored ŞÖK, and queued, atomically; returns the ŞÖK as it now is.
     */
    act(kind: WorkflowKind, input: Record<string, unknown> & { sokId: string }): Sok {
      const actor = workflow.actor();
      const payload = mutationPayloads[kind].parse(input) as Record<string, unknown> & {
        sokId: string;
      };
      const now = deps.now();
      const sok = db.transaction(() => {
        const next = workflow.apply(payload.sokId, actionOf(kind, payload), now);
        outbox.enqueue(kind, payload.sokId, payload, actor.userId, now);
        return next;
      })();
      changed(payload.sokId);
      return sok;
    },
  };
}
export type LocalMutations = ReturnType<typeof createLocalMutations>;
