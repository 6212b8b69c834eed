import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Calendar } from '../calendar/calendar';
import {
  activeClaim,
  availableActions,
  DEFAULT_CALLBACK_POLICY,
  transition,
  type Action,
  type Actor,
  type AttemptOutcome,
  type WorkflowState,
  type MachineContext,
  type TimelineEntry,
  type TransitionResult,
  refusalText,
} from './index';

/** A result as the user reads it: a refusal with its Turkish text. */
const shown = (r: TransitionResult) => (r.ok ? r : { ok: false, ...refusalText(r) });

const calendar = new Calendar();
const policy = { ...DEFAULT_CALLBACK_POLICY, minAttemptIntervalMinutes: 30 };

const actors: Record<string, Actor> = {
  agent: {
    userId: 'u-agent',
    displayName: 'Ayşe Temsilci',
    orgCode: 'BIKOM',
    orgKind: 'call-centre',
    role: 'agent',
  },
  bikomSup: {
    userId: 'u-bsup',
    displayName: 'Bora Süpervizör',
    orgCode: 'BIKOM',
    orgKind: 'call-centre',
    role: 'supervisor',
  },
  desk1: {
    userId: 'u-d1',
    displayName: 'Deniz Masa',
    orgCode: 'NILUFER',
    orgKind: 'district-municipality',
    role: 'desk',
  },
  desk2: {
    userId: 'u-d2',
    displayName: 'Derya Masa',
    orgCode: 'NILUFER',
    orgKind: 'district-municipality',
    role: 'desk',
  },
  districtSup: {
    userId: 'u-dsup',
    displayName: 'Sema Süpervizör',
    orgCode: 'NILUFER',
    orgKind: 'district-municipality',
    role: 'supervisor',
  },
  unit: {
    userId: 'u-unit',
    displayName: 'Fen İşleri',
    orgCode: 'FEN',
    orgKind: 'metropolitan-unit',
    role: 'desk',
  },
  admin: {
    userId: 'u-admin',
    displayName: 'Yönetici',
    orgCode: 'BIKOM',
    orgKind: 'call-centre',
    role: 'admin',
  },
};

const ctxFor = (actor: Actor, now: Date): MachineContext => ({
  actor,
  now,
  callCentreOrg: 'BIKOM',
  calendar,
  policy,
  topicWorkingDays: 2,
  orgName: (c) => c,
  orgExists: (c) => ['BIKOM', 'NILUFER', 'FEN', 'UEDAS'].includes(c),
  isExternalOrg: (c) => c === 'UEDAS',
});

const routed: WorkflowState = {
  status: 'routed',
  originOrg: 'BIKOM',
  targetOrg: 'NILUFER',
  routeRuleId: 'r1',
  routeReason: '',
  acceptedBy: null,
  acceptedAt: null,
  decision: null,
  callback: null,
};

/** A Monday morning in Istanbul. */
const start = new Date('2026-11-30T09:30:00+03:00');

const outcomes: AttemptOutcome[] = [
  'reached',
  'no-answer',
  'busy',
  'unreachable',
  'wrong-number',
  'voicemail',
];

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  fc.constant({ type: 'accept' } as const),
  fc.constant({ type: 'return', reason: 'Konu ilçeye ait değil' } as const),
  fc
    .constantFrom('NILUFER', 'FEN', 'BIKOM')
    .map((targetOrg) => ({ type: 'route', targetOrg, reason: 'Doğru birim bu' }) as const),
  fc.constantFrom('will-do', 'wont-do', 'already-done', 'not-ours').map(
    (kind) =>
      ({
        type: 'decide',
        decision: {
          kind,
          plannedDate: kind === 'will-do' ? '2027-01-15' : null,
          reasonCategory: kind === 'wont-do' ? 'budget' : null,
          explanation: 'Ayrıntılı açıklama burada yazıyor.',
          referralBody: kind === 'not-ours' ? 'UEDAŞ' : null,
        },
      }) as const,
  ),
  fc.constant({ type: 'claim' } as const),
  fc.constant({ type: 'release' } as const),
  fc
    .constantFrom(
      { userId: 'u-d2', displayName: 'Derya Masa', orgCode: 'NILUFER' },
      { userId: 'u-agent', displayName: 'Ayşe Temsilci', orgCode: 'BIKOM' },
      { userId: 'u-unit', displayName: 'Fen İşleri', orgCode: 'FEN' },
    )
    .map((assignee) => ({ type: 'assign', assignee }) as const),
  fc.constant({ type: 'escalate-now', reason: 'Vatandaş tekrar aradı' } as const),
  fc.constantFrom(...outcomes).map(
    (outcome) =>
      ({
        type: 'attempt',
        attempt: { at: '', outcome, note: 'Bilgi verildi.', callId: null },
      }) as const,
  ),
  fc.constant({ type: 'close', note: 'Yapıldı' } as const),
  fc.constant({ type: 'reopen', reason: 'Vatandaş itiraz etti' } as const),
  fc.constant({ type: 'expire-claim' } as const),
  fc.constantFrom(1 as const, 2 as const).map((level) => ({ type: 'escalate', level }) as const),
);

const stepArb = fc.record({
  actor: fc.constantFrom(...Object.keys(actors)),
  action: actionArb,
  /** Minutes that pass before the step. */
  wait: fc.oneof(fc.integer({ min: 0, max: 90 }), fc.integer({ min: 0, max: 5 * 24 * 60 })),
});

function checkInvariants(s: WorkflowState, history: TimelineEntry[], now: Date) {
  if (s.status !== 'registered') expect(s.targetOrg).not.toBeNull();
  if (['decided', 'informed', 'closed'].includes(s.status)) expect(s.decision).not.toBeNull();
  if (s.status === 'decided') expect(s.callback?.state).toBe('open');
  if (s.status === 'informed') {
    expect(s.decision?.kind).toBe('will-do');
    expect(['done', 'unreachable']).toContain(s.callback?.state);
  }
  if (s.status === 'closed') {
    expect(['done', 'unreachable']).toContain(s.callback?.state);
    // Closed only after the citizen was informed or the unreachable path ran, since the decision.
    const lastDecision = history.map((e) => e.kind).lastIndexOf('decided');
    const since = history.slice(lastDecision + 1).map((e) => e.kind);
    expect(since.some((k) => k === 'informed' || k === 'unreachable')).toBe(true);
  }
  if (s.callback) {
    expect(s.callback.attempts).toBeLessThanOrEqual(policy.maxAttempts);
    if (s.callback.state !== 'open') expect(activeClaim(s.callback, now)).toBeNull();
  }
  if (s.status === 'accepted' || s.status === 'decided') expect(s.acceptedBy).not.toBeNull();
}

describe('ŞÖK workflow state machine', () => {
  it('no sequence of actions by anyone reaches an invalid state', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 40 }), (steps) => {
        let state = routed;
        let now = start;
        const history: TimelineEntry[] = [];
        let unreachableMessages = 0;
        for (const step of steps) {
          now = new Date(now.getTime() + step.wait * 60_000);
          const action: Action =
            step.action.type === 'attempt'
              ? { ...step.action, attempt: { ...step.action.attempt, at: now.toISOString() } }
              : step.action;
          const before = state;
          const result = transition(state, action, ctxFor(actors[step.actor]!, now));
          if (result.ok) {
            state = result.state;
            history.push(...result.events);
            unreachableMessages += result.effects.filter(
              (e) => e.kind === 'decision-to-citizen',
            ).length;
            // Only a supervisor hands a callback to someone, and only within the owning organisation.
            if (action.type === 'assign') {
              const actor = actors[step.actor]!;
              expect(actor.role).toBe('supervisor');
              expect(before.callback?.state).toBe('open');
              expect(action.assignee.orgCode).toBe(before.callback?.ownerOrg);
              expect(activeClaim(state.callback, now)).toBe(action.assignee.userId);
            }
            // A manual escalation is a supervisor's, raises the level by one, and e-mails once.
            if (action.type === 'escalate-now') {
              expect(actors[step.actor]!.role).toBe('supervisor');
              expect(state.callback!.escalation).toBe(before.callback!.escalation + 1);
              expect(result.effects).toHaveLength(1);
            }
            // A completed callback is never redone: it stays completed until a reopen.
            if (
              before.callback &&
              before.callback.state !== 'open' &&
              action.type !== 'reopen' &&
              action.type !== 'decide'
            ) {
              expect(state.callback).toEqual(before.callback);
            }
          } else {
            // A catalogue text with every parameter filled in ("{name}" never reaches the user).
            expect(refusalText(result).message.length).toBeGreaterThan(5);
            expect(refusalText(result).message).not.toMatch(/\{\w+\}/);
          }
          checkInvariants(state, history, now);
        }
        // The written fallback is sent exactly as often as the unreachable path ran.
        expect(unreachableMessages).toBe(history.filter((e) => e.kind === 'unreachable').length);
      }),
      { numRuns: 500 },
    );
  });

  it('the call centre records the decision of an organisation outside the app, and owes the callback', () => {
    const atUedas: WorkflowState = { ...routed, targetOrg: 'UEDAS' };
    const decide: Action = {
      type: 'decide',
      decision: {
        kind: 'will-do',
        plannedDate: '2026-12-03',
        reasonCategory: null,
        explanation: 'UEDAŞ direği perşembe değiştirecek.',
        referralBody: null,
      },
    };
    // The screen offers it exactly when the machine allows it.
    const screen = {
      now: start,
      callCentreOrg: 'BIKOM',
      isExternalOrg: (c: string) => c === 'UEDAS',
    };
    expect(availableActions(atUedas, actors.agent!, screen).has('decide')).toBe(true);
    expect(availableActions(routed, actors.agent!, screen).has('decide')).toBe(false);
    const r = transition(atUedas, decide, ctxFor(actors.agent!, start));
    if (!r.ok) throw new Error(refusalText(r).message);
    expect(r.state.status).toBe('decided');
    expect(r.state.decision?.decidedOrg).toBe('BIKOM');
    expect(r.state.callback?.ownerOrg).toBe('BIKOM');
    // Not for a ŞÖK at an organisation that works in the app, and not by anyone else.
    expect(shown(transition(routed, decide, ctxFor(actors.agent!, start)))).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(shown(transition(atUedas, decide, ctxFor(actors.desk1!, start)))).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(shown(transition(atUedas, decide, ctxFor(actors.admin!, start)))).toMatchObject({
      ok: false,
    });
  });

  it('the happy path: accept, decide, claim, citizen reached, closed; other side informed', () => {
    const desk = actors.desk1!;
    let r = transition(routed, { type: 'accept' }, ctxFor(desk, start));
    expect(r.ok && r.state.status).toBe('accepted');
    r = transition(
      r.ok ? r.state : routed,
      {
        type: 'decide',
        decision: {
          kind: 'wont-do',
          plannedDate: null,
          reasonCategory: 'plan',
          explanation: 'Parsel imar planında yeşil alan olarak ayrılmış.',
          referralBody: null,
        },
      },
      ctxFor(desk, start),
    );
    if (!r.ok) throw new Error(refusalText(r).message);
    expect(r.state.status).toBe('decided');
    // Decided Monday 09:30 with 2 working days → due Wednesday 17:30.
    expect(r.state.callback?.dueAt).toBe(new Date('2026-12-02T17:30:00+03:00').toISOString());
    const later = new Date(start.getTime() + 60 * 60_000);
    const claimed = transition(r.state, { type: 'claim' }, ctxFor(desk, later));
    if (!claimed.ok) throw new Error(refusalText(claimed).message);
    // Someone else of the same desk cannot take it or call on it while the claim holds.
    const stolen = transition(claimed.state, { type: 'claim' }, ctxFor(actors.desk2!, later));
    expect(stolen.ok || refusalText(stolen)).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('Deniz Masa'),
    });
    const reached = transition(
      claimed.state,
      {
        type: 'attempt',
        attempt: {
          at: later.toISOString(),
          outcome: 'reached',
          note: 'Karar anlatıldı, vatandaş bilgilendi.',
          callId: null,
        },
      },
      ctxFor(desk, later),
    );
    if (!reached.ok) throw new Error(refusalText(reached).message);
    expect(reached.state.status).toBe('closed');
    expect(reached.state.callback?.state).toBe('done');
    expect(reached.effects).toEqual([
      { kind: 'inform-other-side', outcome: 'reached', to: 'BIKOM' },
    ]);
    expect(reached.events.map((e) => e.kind)).toEqual(['attempt', 'informed', 'closed']);
  });

  it('three unanswered calls end the callback as unreachable and send the decision in writing', () => {
    const desk = actors.desk1!;
    const decided = transition(
      routed,
      {
        type: 'decide',
        decision: {
          kind: 'will-do',
          plannedDate: '2026-12-20',
          reasonCategory: null,
          explanation: '',
          referralBody: null,
        },
      },
      ctxFor(desk, start),
    );
    if (!decided.ok) throw new Error(refusalText(decided).message);
    let state = decided.state;
    let now = start;
    for (let i = 1; i <= 3; i += 1) {
      now = new Date(now.getTime() + 31 * 60_000);
      const r = transition(
        state,
        {
          type: 'attempt',
          attempt: { at: now.toISOString(), outcome: 'no-answer', note: '', callId: null },
        },
        ctxFor(desk, now),
      );
      if (!r.ok) throw new Error(refusalText(r).message);
      state = r.state;
      if (i < 3) expect(r.effects).toEqual([]);
      else
        expect(r.effects.map((e) => e.kind)).toEqual(['decision-to-citizen', 'inform-other-side']);
    }
    // "Will do" stays informed (not closed) until the work is done.
    expect(state.status).toBe('informed');
    expect(state.callback).toMatchObject({ state: 'unreachable', attempts: 3 });
    const fourth = transition(
      state,
      {
        type: 'attempt',
        attempt: { at: now.toISOString(), outcome: 'reached', note: 'Geç de olsa', callId: null },
      },
      ctxFor(desk, new Date(now.getTime() + 3600_000)),
    );
    expect(fourth.ok).toBe(false);
    const closed = transition(state, { type: 'close', note: 'Asfalt yapıldı' }, ctxFor(desk, now));
    expect(closed.ok && closed.state.status).toBe('closed');
  });

  it('refuses calls at night, too soon after the last one, and from another organisation', () => {
    const desk = actors.desk1!;
    const decided = transition(
      routed,
      {
        type: 'decide',
        decision: {
          kind: 'already-done',
          plannedDate: null,
          reasonCategory: null,
          explanation: '',
          referralBody: null,
        },
      },
      ctxFor(desk, start),
    );
    if (!decided.ok) throw new Error(refusalText(decided).message);
    const night = new Date('2026-11-30T22:30:00+03:00');
    expect(
      transition(
        decided.state,
        {
          type: 'attempt',
          attempt: { at: night.toISOString(), outcome: 'busy', note: '', callId: null },
        },
        ctxFor(desk, night),
      ),
    ).toMatchObject({ ok: false, field: 'at' });
    const first = transition(
      decided.state,
      {
        type: 'attempt',
        attempt: { at: start.toISOString(), outcome: 'busy', note: '', callId: null },
      },
      ctxFor(desk, start),
    );
    if (!first.ok) throw new Error(refusalText(first).message);
    const soon = new Date(start.getTime() + 10 * 60_000);
    expect(
      shown(
        transition(
          first.state,
          {
            type: 'attempt',
            attempt: { at: soon.toISOString(), outcome: 'busy', note: '', callId: null },
          },
          ctxFor(desk, soon),
        ),
      ),
    ).toMatchObject({ ok: false, message: expect.stringContaining('30 dakika') });
    expect(
      transition(
        decided.state,
        {
          type: 'attempt',
          attempt: { at: start.toISOString(), outcome: 'busy', note: '', callId: null },
        },
        ctxFor(actors.unit!, start),
      ),
    ).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('a misrouted ŞÖK goes back to BİKOM with its reason, and an expired claim returns to the pool', () => {
    const returned = transition(
      routed,
      { type: 'return', reason: 'Bu konu Büyükşehir’in' },
      ctxFor(actors.desk1!, start),
    );
    expect(returned).toMatchObject({ ok: true, state: { status: 'routed', targetOrg: 'BIKOM' } });
    const decided = transition(
      routed,
      {
        type: 'decide',
        decision: {
          kind: 'already-done',
          plannedDate: null,
          reasonCategory: null,
          explanation: '',
          referralBody: null,
        },
      },
      ctxFor(actors.desk1!, start),
    );
    if (!decided.ok) throw new Error(refusalText(decided).message);
    const claimed = transition(decided.state, { type: 'claim' }, ctxFor(actors.desk1!, start));
    if (!claimed.ok) throw new Error(refusalText(claimed).message);
    const afterClaim = new Date(start.getTime() + (policy.claimMinutes + 1) * 60_000);
    expect(activeClaim(claimed.state.callback, afterClaim)).toBeNull();
    const taken = transition(claimed.state, { type: 'claim' }, ctxFor(actors.desk2!, afterClaim));
    expect(taken).toMatchObject({ ok: true, state: { callback: { claimedBy: 'u-d2' } } });
  });

  it('escalates an overdue callback to the organisation, then to BİKOM — once each', () => {
    const decided = transition(
      routed,
      {
        type: 'decide',
        decision: {
          kind: 'already-done',
          plannedDate: null,
          reasonCategory: null,
          explanation: '',
          referralBody: null,
        },
      },
      ctxFor(actors.desk1!, start),
    );
    if (!decided.ok) throw new Error(refusalText(decided).message);
    const system = actors.agent!;
    expect(
      transition(decided.state, { type: 'escalate', level: 1 }, ctxFor(system, start)).ok,
    ).toBe(false);
    const late = new Date('2026-12-03T09:00:00+03:00');
    const one = transition(decided.state, { type: 'escalate', level: 1 }, ctxFor(system, late));
    expect(one).toMatchObject({
      ok: true,
      effects: [{ kind: 'escalation', level: 1, org: 'NILUFER' }],
    });
    if (!one.ok) return;
    expect(transition(one.state, { type: 'escalate', level: 1 }, ctxFor(system, late)).ok).toBe(
      false,
    );
    expect(
      transition(one.state, { type: 'escalate', level: 2 }, ctxFor(system, late)),
    ).toMatchObject({
      ok: true,
      effects: [{ kind: 'escalation', level: 2, org: 'BIKOM' }],
    });
  });

  it('a supervisor hands an open callback to someone of the owning organisation, held until due', () => {
    const decided = transition(
      routed,
      {
        type: 'decide',
        decision: {
          kind: 'already-done',
          plannedDate: null,
          reasonCategory: null,
          explanation: '',
          referralBody: null,
        },
      },
      ctxFor(actors.desk1!, start),
    );
    if (!decided.ok) throw new Error(refusalText(decided).message);
    const derya = { userId: 'u-d2', displayName: 'Derya Masa', orgCode: 'NILUFER' };
    // A desk cannot, nor can anyone hand it outside the owning organisation.
    expect(
      transition(decided.state, { type: 'assign', assignee: derya }, ctxFor(actors.desk1!, start)),
    ).toMatchObject({ ok: false, code: 'forbidden' });
    expect(
      transition(
        decided.state,
        { type: 'assign', assignee: { userId: 'u-unit', displayName: 'Fen', orgCode: 'FEN' } },
        ctxFor(actors.districtSup!, start),
      ),
    ).toMatchObject({ ok: false, code: 'validation', field: 'userId' });
    // Deniz holds it; BİKOM's supervisor gives it to Derya anyway.
    const claimed = transition(decided.state, { type: 'claim' }, ctxFor(actors.desk1!, start));
    if (!claimed.ok) throw new Error(refusalText(claimed).message);
    const given = transition(
      claimed.state,
      { type: 'assign', assignee: derya },
      ctxFor(actors.bikomSup!, start),
    );
    if (!given.ok) throw new Error(refusalText(given).message);
    expect(given.events.map((e) => e.kind)).toEqual(['assigned']);
    expect(given.state.callback).toMatchObject({ claimedBy: 'u-d2', claimedByName: 'Derya Masa' });
    // The assignment lasts at least until the callback is due; Deniz may no longer call on it.
    const beforeDue = new Date(Date.parse(given.state.callback!.dueAt) - 60_000);
    expect(activeClaim(given.state.callback, beforeDue)).toBe('u-d2');
    expect(
      shown(
        transition(
          given.state,
          {
            type: 'attempt',
            attempt: { at: start.toISOString(), outcome: 'busy', note: '', callId: null },
          },
          ctxFor(actors.desk1!, start),
        ),
      ),
    ).toMatchObject({ ok: false, message: expect.stringContaining('Derya Masa') });
  });

  it('a supervisor raises an open callback one level at a time, before it is due, with a reason', () => {
    const decided = transition(
      routed,
      {
        type: 'decide',
        decision: {
          kind: 'already-done',
          plannedDate: null,
          reasonCategory: null,
          explanation: '',
          referralBody: null,
        },
      },
      ctxFor(actors.desk1!, start),
    );
    if (!decided.ok) throw new Error(refusalText(decided).message);
    const now = (a: Actor) => ctxFor(a, start);
    const action = { type: 'escalate-now', reason: 'Vatandaş üçüncü kez aradı' } as const;
    expect(transition(decided.state, action, now(actors.desk1!))).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    const one = transition(decided.state, action, now(actors.districtSup!));
    expect(one).toMatchObject({
      ok: true,
      effects: [{ kind: 'escalation', level: 1, org: 'NILUFER' }],
      events: [{ kind: 'escalated', note: expect.stringContaining('üçüncü kez') }],
    });
    if (!one.ok) return;
    const two = transition(one.state, action, now(actors.bikomSup!));
    expect(two).toMatchObject({
      ok: true,
      effects: [{ kind: 'escalation', level: 2, org: 'BIKOM' }],
    });
    if (!two.ok) return;
    expect(transition(two.state, action, now(actors.bikomSup!))).toMatchObject({
      ok: false,
      code: 'conflict',
    });
  });
});
