import { AppError } from '../../domain/errors';
import { t } from '../../domain/i18n/tr';
import { parseTurkishPhone } from '../../domain/phone';
import { CONTACT_ON_DEMAND_ROLES, maskEmail, maskName, maskPhone } from '../../domain/privacy';
import { suggestRoute } from '../../domain/routing';
import { foldTurkish } from '../../domain/text';
import type { AccessKind } from '../../domain/kvkk';
import type { Sok } from '../../domain/sok';
import { ApiFailure, NetworkFailure } from '../api/http';
import type { Handlers } from '../dispatcher';
import type { LocalMutations } from '../local-mutations';
import { logShownContacts, showsContact } from './access';
import type { HandlerDeps } from './deps';

export function sokHandlers(deps: HandlerDeps, local: LocalMutations) {
  const { soks, outbox, routing, timeline } = deps;
  const suggest = (input: {
    topicCode: string;
    districtCode: string;
    mahalle: string;
    address: string;
  }) => suggestRoute(routing.rules(), input, local.routingContext());

  /**
   * KVKK access log (docs/kvkk.md): the ŞÖKs among `shown` whose contact details this user sees
   * unmasked get one entry each, stored locally at once and sent by the next sync.
   */
  const logAccess = (kind: AccessKind, shown: readonly Sok[], detail = '') =>
    logShownContacts(deps, kind, shown, detail);

  /**
   * KVKK: a role that sees contact details only on demand gets them masked on every screen
   * (the detail, the caller's earlier ŞÖKs, search results), marked so the screen offers
   * "Göster" (`sok.reveal`). Masked, they are not a view and are not logged.
   */
  const onDemand = (shown: Sok): Sok => {
    const role = deps.sessions.load()?.user.role;
    if (role === undefined || !CONTACT_ON_DEMAND_ROLES.has(role) || !showsContact(shown)) {
      return shown;
    }
    return {
      ...shown,
      citizenName: maskName(shown.citizenName),
      citizenPhone: maskPhone(shown.citizenPhone),
      citizenEmail: maskEmail(shown.citizenEmail),
      contactMasked: true,
      contactOnDemand: true,
    };
  };

  /** The ŞÖK as stored, or, if this PC dropped its contact data, as the API has it (online). */
  const load = async (id: string): Promise<Sok> => {
    const stored = soks.get(id);
    if (!stored) throw new AppError('not-found', t('error.notFound'));
    return stored.personalDataOffDesk ? await withServerContact(stored) : stored;
  };

  /**
   * A ŞÖK whose contact data this desk dropped (KVKK): read from the API (scoped and masked as
   * the pull) for this one opening, never stored. Offline, or refused, the local copy is shown
   * without them. An offline session is not upgraded for it (that needs the password again).
   */
  const withServerContact = async (sok: Sok): Promise<Sok> => {
    const session = deps.sessions.load();
    if (!session || session.offline) return sok;
    try {
      const { sok: fresh } = await deps.api.kvkk.sok({ params: { id: sok.id } });
      return {
        ...sok,
        citizenName: fresh.citizenName,
        citizenPhone: fresh.citizenPhone,
        citizenEmail: fresh.citizenEmail,
        address: fresh.address,
        latitude: fresh.latitude,
        longitude: fresh.longitude,
        contactMasked: fresh.contactMasked,
      };
    } catch (error) {
      if (error instanceof NetworkFailure || error instanceof ApiFailure) return sok;
      throw error;
    }
  };

  return {
    'sok.create': (draft) => local.create(draft),
    'sok.get': async ({ id }) => {
      const sok = onDemand(await load(id));
      logAccess('view', [sok]);
      return sok;
    },
    'sok.reveal': async ({ id }) => {
      const sok = await load(id);
      if (!showsContact(sok)) {
        // Masked for this organisation by the server, or no longer on this PC (offline).
        throw new AppError(
          'forbidden',
          sok.contactMasked ? t('kvkk.revealMasked') : t('kvkk.revealOffDesk'),
        );
      }
      logAccess('reveal', [sok]);
      return {
        id: sok.id,
        citizenName: sok.citizenName,
        citizenPhone: sok.citizenPhone,
        citizenEmail: sok.citizenEmail,
      };
    },
    'sok.search': ({ query, limit }) => {
      const found = soks.search(query, limit);
      const result = { ...found, items: found.items.map(onDemand) };
      // A search with no words lists the latest ŞÖKs: logged the same way, as a search.
      logAccess('search', result.items, `${result.items.length} sonuç`);
      return result;
    },
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
      const earlier = soks.byPhone(parsed.e164, 50).map(onDemand);
      const since = deps.now().getTime() - deps.duplicateWindowDays * 24 * 3600 * 1000;
      const place = foldTurkish(mahalle ?? '').trim();
      // Open ŞÖKs of the same topic and mahalle lately may be the same problem (from anyone).
      const duplicates =
        topicCode && place
          ? soks
              .openByTopic(topicCode, new Date(since))
              .filter((s) => foldTurkish(s.mahalle).trim() === place)
          : [];
      logAccess('caller-history', earlier);
      return { phone: parsed.display, soks: earlier, duplicates };
    },
    'sok.addContact': (input) => local.addContact(input),
  } satisfies Partial<Handlers>;
}
