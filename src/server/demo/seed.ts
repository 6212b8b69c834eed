import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../clock';
import type { ServerConfig } from '../config';
import type { ServerDb } from '../db/open';
import type { ChangeNotifier } from '../changefeed/notifier';
import { NotificationWorker } from '../notifications/worker';
import type { ChannelSender, OutgoingMessage, SendResult } from '../notifications/senders/types';
import { readReferenceFile } from '../reference-seed';
import { indexReference } from '../sync/mutations';
import { sweepCallbacks } from '../workflow/sweeper';
import { DEMO_ADMIN, DEMO_ORGS, DEMO_PASSWORD, DEMO_USERS, type DemoAccount } from './accounts';
import {
  CITIZEN_FIRST,
  CITIZEN_LAST,
  DISTRICT_PLACES,
  STORIES,
  type Story,
  FAILING_EMAIL_DOMAIN,
  FAILING_PHONE_SUFFIX,
} from './content';

/**
 * A month of Bursa in an empty central API (`npm start -- --demo`, or the first-run screen of an
 * empty embedded API): BİKOM's agents take calls and register ŞÖKs, the district desks and the
 * metropolitan units accept, return, decide and phone the citizens back, receipts go out or fail,
 * missed calls wait for a callback — so every screen has something to show.
 *
 * Everything goes through the API's own routes and rules, as the real desks' requests do:
 * /setup/admin (which refuses once any user exists: the demo can never touch a server that
 * holds data), /admin/users, /admin/organisations, /auth/login, and /sync/push mutations signed
 * by each person's own session. The only difference from real work is time: the requests are
 * made on an instance of the same app whose clock walks through the past month (the API's
 * clock is injected, as in the tests), so deadlines, escalations and timelines are those the
 * server itself computes. Receipts are "sent" by demo channel adapters inside the process —
 * nothing leaves the machine — with some numbers and mailboxes that fail on purpose.
 */

export class DemoRefusedError extends Error {
  constructor() {
    super('The demo runs only on an empty server: this one already has users.');
    this.name = 'DemoRefusedError';
  }
}

/**
 * Builds the API instance the demo talks to: `buildApp` from ../app, passed in by its caller
 * (the app's own setup route), so this module does not import the app that imports it.
 */
export type DemoAppFactory = (options: {
  db: ServerDb;
  notifier: ChangeNotifier;
  config: ServerConfig;
  clock: Clock;
  logger: false;
}) => Promise<FastifyInstance>;

export interface DemoOptions {
  db: ServerDb;
  config: ServerConfig;
  notifier: ChangeNotifier;
  buildApp: DemoAppFactory;
  /** The end of the month (default: now). */
  now?: Date;
  /** How many days back the month starts (default 30). */
  days?: number;
  /** ŞÖKs registered per day on average (default 10: about 300 in the month). */
  soksPerDay?: number;
  /** Seed of the random choices (same seed and now: same month). */
  seed?: number;
  setupToken?: string;
  log?: (message: string) => void;
}

export interface DemoSummary {
  users: number;
  soks: number;
  calls: number;
  mutations: number;
  /** Mutations the server refused (the rules hold for the demo too); normally none. */
  rejected: { kind: string; message: string }[];
}

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** Europe/Istanbul is UTC+3 all year (no daylight saving since 2016). */
const ISTANBUL_OFFSET = 3 * HOUR;

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Desk {
  account: DemoAccount;
  clientId: string;
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: number;
  nextId: number;
}

interface PlannedEvent {
  at: number;
  user: string;
  kind: string;
  payload: () => Record<string, unknown>;
  /** Called with the server's result. */
  after?: (applied: boolean) => void;
}

/** Receipts and e-mails "sent" inside the process; some recipients fail on purpose. */
class DemoSender implements ChannelSender {
  constructor(readonly channel: 'sms' | 'email') {}
  send(message: OutgoingMessage): Promise<SendResult> {
    const fails =
      this.channel === 'sms'
        ? message.recipient.endsWith(FAILING_PHONE_SUFFIX)
        : message.recipient.endsWith(`@${FAILING_EMAIL_DOMAIN}`);
    if (fails) {
      return Promise.resolve({
        ok: false,
        permanent: true,
        error:
          this.channel === 'sms'
            ? 'Numara kullanım dışı (demo SMS sağlayıcısı)'
            : '550 Posta kutusu bulunamadı (demo e-posta sunucusu)',
      });
    }
    return Promise.resolve({ ok: true, providerMessageId: `demo-${message.id}` });
  }
}

export async function seedDemo(options: DemoOptions): Promise<DemoSummary> {
  const log = options.log ?? (() => undefined);
  const endMs = (options.now ?? new Date()).getTime();
  const days = options.days ?? 30;
  const perDay = options.soksPerDay ?? 10;
  const random = rng(options.seed ?? 153);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

  // Day 0 is `days` days ago (Istanbul calendar days); day `days` is today.
  const todayLocal = Math.floor((endMs + ISTANBUL_OFFSET) / (24 * HOUR));
  const dayStart = (day: number) => (todayLocal - days + day) * 24 * HOUR - ISTANBUL_OFFSET;
  const at = (day: number, hour: number, minute = 0) =>
    dayStart(day) + hour * HOUR + minute * MINUTE;
  const weekday = (day: number) => new Date(dayStart(day) + ISTANBUL_OFFSET).getUTCDay();
  const isWorkday = (day: number) => weekday(day) !== 0 && weekday(day) !== 6;
  const workdayFrom = (day: number) => {
    let d = day;
    while (!isWorkday(d)) d += 1;
    return d;
  };
  const addWorkdays = (day: number, n: number) => {
    let d = workdayFrom(day);
    for (let i = 0; i < n; i += 1) d = workdayFrom(d + 1);
    return d;
  };
  const dayOf = (ms: number) =>
    Math.floor((ms + ISTANBUL_OFFSET) / (24 * HOUR)) - todayLocal + days;

  let clockMs = at(0, 8);
  const config: ServerConfig = {
    ...options.config,
    // Sessions that last the simulated month; the desks refresh them like real ones.
    accessTokenTtlSeconds: 12 * 3600,
    refreshTokenTtlSeconds: 60 * 24 * 3600,
    loginRateLimitMax: 100_000,
    workflow: { ...options.config.workflow, sweepIntervalSeconds: 0 },
    notifications: { ...options.config.notifications, workerEnabled: false },
  };
  const clock = () => new Date(clockMs);
  const app = await options.buildApp({
    db: options.db,
    notifier: options.notifier,
    config,
    clock,
    logger: false,
  });
  const reference = indexReference(readReferenceFile(config.referenceFile), config.workflow);
  const worker = new NotificationWorker({
    db: options.db,
    senders: { sms: new DemoSender('sms'), email: new DemoSender('email') },
    policy: options.config.notifications,
    clock,
    notifier: options.notifier,
    random: () => 0.5,
  });
  const summary: DemoSummary = { users: 0, soks: 0, calls: 0, mutations: 0, rejected: [] };

  try {
    // 1. The first administrator: refused by the server once anyone exists.
    const setup = await app.inject({
      method: 'POST',
      url: '/setup/admin',
      payload: {
        username: DEMO_ADMIN.username,
        displayName: DEMO_ADMIN.displayName,
        password: DEMO_PASSWORD,
        ...(options.setupToken !== undefined ? { setupToken: options.setupToken } : {}),
      },
    });
    if (setup.statusCode === 409) throw new DemoRefusedError();
    await expectOk(setup, 'POST /setup/admin');
    summary.users += 1;

    const desks = new Map<string, Desk>();
    // A desk keeps its sync stream (clientId) across sign-ins, as a real PC does.
    const signIn = async (account: DemoAccount, clientId: string = randomUUID()) => {
      const res = await app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { username: account.username, password: DEMO_PASSWORD, clientId },
      });
      const body = await expectOk<TokenBody>(res, `login ${account.username}`);
      const previous = desks.get(account.username);
      desks.set(account.username, {
        account,
        clientId,
        accessToken: body.accessToken,
        refreshToken: body.refreshToken,
        accessExpiresAt: Date.parse(body.accessExpiresAt),
        nextId: previous?.nextId ?? 1,
      });
    };
    const desk = async (username: string): Promise<Desk> => {
      const d = desks.get(username);
      if (d === undefined) throw new Error(`demo: no desk for ${username}`);
      if (d.accessExpiresAt - MINUTE <= clockMs) {
        const res = await app.inject({
          method: 'POST',
          url: '/auth/refresh',
          payload: { refreshToken: d.refreshToken },
        });
        if (res.statusCode === 401 && res.json<ErrorBody>().error?.code === 'session-expired') {
          // The session reached its absolute lifetime: the next shift signs in again.
          await signIn(d.account, d.clientId);
          return desks.get(username) as Desk;
        }
        const body = await expectOk<TokenBody>(res, `refresh ${username}`);
        d.accessToken = body.accessToken;
        d.refreshToken = body.refreshToken;
        d.accessExpiresAt = Date.parse(body.accessExpiresAt);
      }
      return d;
    };
    const request = async (user: string, method: 'POST' | 'PUT', url: string, payload: object) => {
      const d = await desk(user);
      const res = await app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${d.accessToken}` },
        payload,
      });
      return expectOk(res, `${method} ${url}`);
    };
    const push = async (user: string, kind: string, payload: Record<string, unknown>) => {
      const d = await desk(user);
      const id = d.nextId;
      d.nextId += 1;
      const res = await app.inject({
        method: 'POST',
        url: '/sync/push',
        headers: { authorization: `Bearer ${d.accessToken}` },
        payload: { mutations: [{ id, kind, payload }] },
      });
      const body = await expectOk<{ results: { status: string; error?: { message: string } }[] }>(
        res,
        `push ${kind}`,
      );
      summary.mutations += 1;
      const result = body.results[0];
      if (result?.status !== 'applied') {
        summary.rejected.push({ kind, message: result?.error?.message ?? JSON.stringify(result) });
        return false;
      }
      return true;
    };

    // 2. People and mailboxes, set by the administrator.
    await signIn(DEMO_ADMIN);
    for (const account of DEMO_USERS) {
      await request(DEMO_ADMIN.username, 'POST', '/admin/users', {
        ...account,
        password: DEMO_PASSWORD,
      });
      summary.users += 1;
    }
    for (const [code, email] of Object.entries(DEMO_ORGS)) {
      await request(DEMO_ADMIN.username, 'PUT', `/admin/organisations/${code}`, { email });
    }
    for (const account of DEMO_USERS) await signIn(account);

    // 3. The month, planned, then played in time order.
    const agents = DEMO_USERS.filter((u) => u.role === 'agent').map((u) => u.username);
    const staffOf = (org: string) =>
      DEMO_USERS.filter((u) => u.orgCode === org && u.role === 'desk').map((u) => u.username);
    const events: PlannedEvent[] = [];
    const plan = (e: PlannedEvent) => {
      if (e.at <= endMs) events.push(e);
    };
    const citizenPhone = () => {
      const n = `+905${pick(['32', '33', '35', '42', '44', '05', '52'])}${String(between(1_000_000, 9_999_999))}`;
      return random() < 0.04 ? `${n.slice(0, -2)}${FAILING_PHONE_SUFFIX}` : n;
    };
    const localNumber = (e164: string) => `0${e164.slice(3)}`;

    const callLog = (
      user: string,
      start: number,
      opts: { number: string; answered: boolean; talkSeconds: number },
    ) => {
      const id = randomUUID();
      const answeredAt = opts.answered ? start + between(5, 25) * 1000 : null;
      const endedAt = (answeredAt ?? start + between(15, 40) * 1000) + opts.talkSeconds * 1000;
      plan({
        at: endedAt,
        user,
        kind: 'call.log',
        payload: () => ({
          id,
          sipCallId: `${id}@demo.alo153`,
          direction: 'inbound',
          number: opts.number,
          startedAt: new Date(start).toISOString(),
          answeredAt: answeredAt === null ? null : new Date(answeredAt).toISOString(),
          endedAt: new Date(endedAt).toISOString(),
          outcome: opts.answered ? 'answered' : 'missed',
          endReason: opts.answered ? '' : 'Arayan kapattı',
        }),
      });
      summary.calls += 1;
      return { id, endedAt };
    };

    let districtCount = 0;
    const deskStory = (sokId: string, org: string, registered: number, story: Story) => {
      const staff = staffOf(org);
      if (staff.length === 0) return; // an organisation without demo staff: stays routed
      const person = pick(staff);
      const acceptDay = workdayFrom(dayOf(registered + between(1, 26) * HOUR));
      const acceptAt = Math.max(at(acceptDay, between(9, 11), between(0, 59)), registered + HOUR);
      const districtStory = org.startsWith('ilce.');
      if (districtStory) districtCount += 1;
      // The last two days' work is partly still in the inbox (new), as on any Monday.
      if (dayOf(registered) >= days - 2 && random() < 0.5) return;
      if (districtStory && districtCount % 14 === 5) {
        plan({
          at: acceptAt,
          user: person,
          kind: 'sok.return',
          payload: () => ({
            sokId,
            reason: 'Adres ilçemiz sınırları dışında; doğru kuruma yönlendirilmesi için iade.',
          }),
        });
        if (random() < 0.5) {
          const other = org === 'ilce.nilufer' ? 'ilce.osmangazi' : 'ilce.nilufer';
          plan({
            at: acceptAt + between(1, 3) * HOUR,
            user: pick(agents),
            kind: 'sok.route',
            payload: () => ({
              sokId,
              targetOrg: other,
              reason: 'Adres kontrol edildi; ilgili ilçe belediyesine yönlendirildi.',
            }),
          });
        }
        return;
      }
      plan({ at: acceptAt, user: person, kind: 'sok.accept', payload: () => ({ sokId }) });
      const decideDay = addWorkdays(acceptDay, between(0, 3));
      const decideAt = Math.max(at(decideDay, between(13, 16), between(0, 59)), acceptAt + HOUR);
      const decision = story.decision(random);
      const plannedDay = decideDay + between(3, 12);
      plan({
        at: decideAt,
        user: person,
        kind: 'sok.decide',
        payload: () => ({
          sokId,
          ...decision.payload,
          plannedDate:
            decision.payload.kind === 'will-do'
              ? new Date(dayStart(plannedDay) + ISTANBUL_OFFSET).toISOString().slice(0, 10)
              : null,
        }),
      });
      // The callback: most are made within the deadline, some late, some not yet.
      const delay = pick([0, 0, 1, 1, 1, 2, 2, 4, 6, -1]);
      if (delay < 0) return;
      // Callbacks falling due today are mostly still to be made (the queue's "bugün").
      if (addWorkdays(decideDay, 2) === workdayFrom(days) && random() < 0.7) return;
      const callDay = addWorkdays(decideDay, delay);
      const caller = pick(staff);
      // Attempts an hour and a half or more apart, within calling hours (09:00-20:00).
      let next = Math.max(at(callDay, between(10, 16), between(0, 40)), decideAt + HOUR);
      let lastAttempt = next;
      const attempt = (outcome: string, note: string) => {
        if (next > at(dayOf(next), 19, 30)) next = at(dayOf(next) + 1, 10, between(0, 40));
        lastAttempt = next;
        plan({
          at: next,
          user: caller,
          kind: 'callback.attempt',
          payload: () => ({ sokId, at: new Date(clockMs).toISOString(), outcome, note }),
        });
        next += between(90, 180) * MINUTE;
      };
      const reached = decision.script;
      const r = random();
      if (r < 0.62) attempt('reached', reached);
      else if (r < 0.78) {
        attempt(pick(['no-answer', 'busy']), '');
        attempt('reached', reached);
      } else if (r < 0.9) {
        attempt('no-answer', '');
        attempt('busy', '');
        attempt('unreachable', '');
      } else if (r < 0.93) {
        attempt('wrong-number', 'Numara başka birine ait.');
      } else {
        attempt('voicemail', '');
      }
      if (decision.payload.kind === 'will-do' && r < 0.78 && random() < 0.7) {
        // The work is done on the planned day (after the citizen was told), then closed.
        const doneDay = workdayFrom(Math.max(plannedDay, dayOf(lastAttempt) + 1));
        plan({
          at: at(doneDay, between(10, 16)),
          user: person,
          kind: 'sok.close',
          payload: () => ({ sokId, note: story.doneNote }),
        });
      }
    };

    for (let day = 0; day <= days; day += 1) {
      const count = Math.max(1, Math.round(perDay * (isWorkday(day) ? 1.15 : 0.6)));
      for (let i = 0; i < count; i += 1) {
        const story = pick(STORIES);
        const district = pick(['nilufer', 'osmangazi']);
        const places = DISTRICT_PLACES[district]!;
        const mahalle = pick(places.mahalleler);
        const registered = at(day, between(8, 19), between(0, 59));
        const agent = pick(agents);
        const phone = citizenPhone();
        const channel =
          random() < 0.72
            ? 'telefon'
            : pick(['web', 'e-posta', 'yuz-yuze', 'sosyal-medya', 'cimer']);
        const withEmail = channel === 'e-posta' || random() < 0.2;
        const name = `${pick(CITIZEN_FIRST)} ${pick(CITIZEN_LAST)}`;
        const emailUser = name
          .toLocaleLowerCase('tr')
          .replace(/ı/g, 'i')
          .normalize('NFD')
          .replace(/[^a-z ]/g, '')
          .replace(/ /g, '.');
        const email = withEmail
          ? `${emailUser}@${random() < 0.15 ? FAILING_EMAIL_DOMAIN : 'example.com'}`
          : '';
        const sokId = randomUUID();
        let createAt = registered;
        if (channel === 'telefon') {
          const call = callLog(agent, registered - 4 * MINUTE, {
            number: localNumber(phone),
            answered: true,
            talkSeconds: between(90, 300),
          });
          createAt = call.endedAt;
          plan({
            at: createAt + 40_000,
            user: agent,
            kind: 'call.wrapUp',
            payload: () => ({
              callId: call.id,
              disposition: 'sok-kaydedildi',
              sokId,
              note: '',
              at: new Date(clockMs).toISOString(),
            }),
          });
        }
        plan({
          at: createAt + 10_000,
          user: agent,
          kind: 'sok.create',
          payload: () => ({
            id: sokId,
            regNo: null,
            typeCode: story.type,
            channelCode: channel,
            topicCode: story.topic,
            districtCode: district,
            mahalle,
            address: story.address(random, places),
            description: story.description(random, mahalle),
            citizenName: name,
            citizenPhone: phone,
            citizenEmail: email,
            preferredContact: email !== '' && random() < 0.3 ? 'e-posta' : 'telefon',
            kvkkNoticeGiven: channel === 'telefon',
            smsConsent: random() < 0.4,
            registeredAt: new Date(createAt).toISOString(),
          }),
          after: (applied) => {
            if (applied) summary.soks += 1;
          },
        });
        const target = story.org === '@ilce' ? `ilce.${district}` : story.org;
        deskStory(sokId, target, createAt + 10_000, story);
      }
      // Calls that did not become a ŞÖK: information given, and missed calls owed a callback.
      for (let i = 0; i < Math.round(perDay * 0.5); i += 1) {
        const agent = pick(agents);
        const start = at(day, between(8, 20), between(0, 59));
        const call = callLog(agent, start, {
          number: localNumber(citizenPhone()),
          answered: true,
          talkSeconds: between(40, 200),
        });
        plan({
          at: call.endedAt + 20_000,
          user: agent,
          kind: 'call.wrapUp',
          payload: () => ({
            callId: call.id,
            disposition: pick(['bilgi-verildi', 'bilgi-verildi', 'mevcut-sok', 'yonlendirildi']),
            sokId: null,
            note: '',
            at: new Date(clockMs).toISOString(),
          }),
        });
      }
      for (let i = 0; i < Math.max(1, Math.round(perDay * 0.25)); i += 1) {
        callLog(pick(agents), at(day, between(8, 21), between(0, 59)), {
          number: localNumber(citizenPhone()),
          answered: false,
          talkSeconds: 0,
        });
      }
    }

    events.sort((a, b) => a.at - b.at);
    log(`demo: ${events.length} requests over ${days} days`);
    let sweptDay = -1;
    const endOfDayChores = async (upTo: number) => {
      // The outbox worker and the callback sweeper run as they would on the real server.
      while (sweptDay < dayOf(upTo) - 1) {
        sweptDay += 1;
        clockMs = Math.min(at(sweptDay, 21), endMs);
        await worker.runOnce();
        await sweepCallbacks(options.db, reference, options.notifier, clock());
      }
    };
    for (const e of events) {
      await endOfDayChores(e.at);
      clockMs = e.at;
      const applied = await push(e.user, e.kind, e.payload());
      e.after?.(applied);
    }
    await endOfDayChores(endMs + 24 * HOUR);

    // 4. Now: the agents' states on the live board, one callback claimed, the outbox drained.
    clockMs = endMs;
    const states: [string, string, string | null][] = [
      [agents[0]!, 'available', null],
      [agents[1]!, 'break', 'yemek'],
      [agents[2]!, 'available', null],
    ];
    for (const [user, state, reason] of states) {
      await push(user, 'agent.state', {
        id: randomUUID(),
        state,
        reason,
        at: new Date(endMs - between(2, 40) * MINUTE).toISOString(),
      });
    }
    await worker.runOnce();
    await sweepCallbacks(options.db, reference, options.notifier, clock());
    for (const d of desks.values()) {
      await app.inject({
        method: 'POST',
        url: '/auth/logout',
        headers: { authorization: `Bearer ${(await desk(d.account.username)).accessToken}` },
        payload: {},
      });
    }
    log(
      `demo: ${summary.users} users, ${summary.soks} ŞÖKs, ${summary.calls} calls, ${summary.rejected.length} refused`,
    );
    return summary;
  } finally {
    await worker.stop();
    await app.close();
  }
}

interface TokenBody {
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: string;
}

interface ErrorBody {
  error?: { code?: string };
}

async function expectOk<T = unknown>(
  res: Awaited<ReturnType<FastifyInstance['inject']>>,
  what: string,
): Promise<T> {
  if (res.statusCode >= 300) {
    throw new Error(`demo: ${what} answered ${res.statusCode}: ${res.body.slice(0, 500)}`);
  }
  return Promise.resolve(res.json<T>());
}
