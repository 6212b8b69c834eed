import { AppError } from '../../domain/errors';
import { t } from '../../domain/i18n/tr';
import { parseTurkishPhone } from '../../domain/phone';
import { suggestRoute } from '../../domain/routing';
import { foldTurkish } from '../../domain/text';
import type { Handlers } from '../dispatcher';
import type { LocalMutations } from '../local-mutations';
import type { HandlerDeps } from './deps';

export function sokHandlers(deps: HandlerDeps, local: LocalMutations) {
  const { soks, outbox, routing, timeline } = deps;
  const suggest = (input: {
    topicCode: string;
    districtCode: string;
    mahalle: string;
    address: string;
  }) => suggestRoute(routing.rules(), input, local.routingContext());

  return {
    'sok.create': (draft) => local.create(draft),
    'sok.get': ({ id }) => {
      const sok = soks.get(id);
      if (!sok) throw new AppError('not-found', t('error.notFound'));
      return sok;
    },
    'sok.search': ({ query, limit }) => soks.search(query, limit),
    'sok.list': (filter) => soks.list(filter),
    'routing.preview': (input) => {
      const suggestion = suggest(input);
      return suggestion === null
        ? null
        : {
            ...suggestion,
            targetName: local.orgName(suggestion.targetOrg),
          };
    },
    'sok.route': (input) => local.act('sok.route', input),
    'sok.timeline': ({ id }) => ({
      events: timeline.forSok(id),
      receipts: timeline.receiptsFor(id),
      pending: outbox.pendingForEntity(id).map((m) => ({ kind: m.kind, at: m.createdAt })),
    }),
    'sok.callerContext': ({ phone, topicCode, mahalle }) => {
      const parsed = parseTurkishPhone(phone);
      if (!parsed.ok) return { phone: null, soks: [], duplicates: [] };
      const earlier = soks.byPhone(parsed.e164, 50);
      const since = deps.now().getTime() - deps.duplicateWindowDays * 24 * 3600 * 1000;
      const place = foldTurkish(mahalle ?? '').trim();
      // Open ŞÖKs of the same topic and mahalle lately may be the same problem (from anyone).
      const duplicates =
        topicCode && place
          ? soks
              .openByTopic(topicCode, new Date(since))
              .filter((s) => foldTurkish(s.mahalle).trim() === place)
          : [];
      return { phone: parsed.display, soks: earlier, duplicates };
    },
    'sok.addContact': (input) => local.addContact(input),
  } satisfies Partial<Handlers>;
}
