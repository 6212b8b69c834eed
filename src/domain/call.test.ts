import { describe, expect, it } from 'vitest';
import {
  AgentStatePayloadSchema,
  attemptOutcomeOfCall,
  CallLogPayloadSchema,
  PhoneSettingsSchema,
  dialStringFor,
  isMissedCall,
  talkSeconds,
} from './call';

describe('phone data rules', () => {
  it('dials stored numbers the way a Turkish exchange expects', () => {
    expect(dialStringFor('+905321234567')).toBe('05321234567');
    expect(dialStringFor('+442071234567')).toBe('00442071234567');
    expect(dialStringFor('2100')).toBe('2100');
    expect(dialStringFor('0224 123 45 67')).toBe('02241234567');
  });

  it('fills settings defaults and explains a bad server in Turkish', () => {
    const ok = PhoneSettingsSchema.parse({ server: 'wss://santral:7443', sipUser: '1001' });
    expect(ok).toMatchObject({ iceServers: [], autoAnswer: false, wrapUpSeconds: 30 });
    const bad = PhoneSettingsSchema.safeParse({ server: 'ws://santral', sipUser: '1001' });
    expect(bad.error?.issues[0]?.message).toMatch(/wss:\/\/ ile başlamalı/);
  });

  it('counts talk time only for answered calls and owes callbacks for unanswered inbound ones', () => {
    expect(talkSeconds(null, '2026-01-01T10:00:00.000Z')).toBe(0);
    expect(talkSeconds('2026-01-01T10:00:00.000Z', '2026-01-01T10:01:30.400Z')).toBe(90);
    expect(isMissedCall({ direction: 'inbound', outcome: 'missed' })).toBe(true);
    expect(isMissedCall({ direction: 'inbound', outcome: 'rejected' })).toBe(true);
    expect(isMissedCall({ direction: 'outbound', outcome: 'failed' })).toBe(false);
  });

  it('refuses a missed outbound call and a break without a reason', () => {
    const missedOut = CallLogPayloadSchema.safeParse({
      id: '5b7f8e2a-8a45-4f0e-9a51-3f0d7c1b2a10',
      sipCallId: 'x',
      direction: 'outbound',
      number: '153',
      startedAt: '2026-01-01T10:00:00.000Z',
      answeredAt: null,
      endedAt: '2026-01-01T10:00:10.000Z',
      outcome: 'missed',
    });
    expect(missedOut.error?.issues[0]?.message).toBe('Giden bir çağrı cevapsız sayılamaz.');
    const noReason = AgentStatePayloadSchema.safeParse({
      id: '5b7f8e2a-8a45-4f0e-9a51-3f0d7c1b2a10',
      state: 'break',
      at: '2026-01-01T10:00:00.000Z',
    });
    expect(noReason.error?.issues[0]?.message).toBe('Mola için bir neden seçin.');
  });
});

describe('attemptOutcomeOfCall', () => {
  const failed = (endCode: number | null, endReason = 'x') =>
    attemptOutcomeOfCall({ outcome: 'failed', endCode, endReason });
  it('proposes the callback attempt matching the call’s result', () => {
    expect(attemptOutcomeOfCall({ outcome: 'answered', endCode: null, endReason: '' })).toBe(
      'reached',
    );
    expect(failed(486)).toBe('busy');
    expect(failed(600)).toBe('busy');
    expect(failed(603)).toBe('busy');
    expect(failed(408)).toBe('no-answer');
    expect(failed(487)).toBe('no-answer');
    // The agent hung up while it rang: nothing came back.
    expect(failed(null, '')).toBe('no-answer');
    expect(failed(480)).toBe('unreachable');
    expect(failed(404)).toBe('unreachable');
    expect(failed(503)).toBe('unreachable');
    expect(failed(null, 'Mikrofon bulunamadı.')).toBe('unreachable');
  });
});

describe('CallLogPayloadSchema', () => {
  it('stores the caller ID in one form, whatever the exchange presented', () => {
    const base = {
      id: '5b7f8e2a-8a45-4f0e-9a51-3f0d7c1b2a10',
      sipCallId: 'x',
      direction: 'inbound',
      startedAt: '2026-01-01T10:00:00.000Z',
      answeredAt: null,
      endedAt: '2026-01-01T10:00:10.000Z',
      outcome: 'missed',
    };
    for (const number of ['sip:+905321234567@gw.example', '05321234567', '5321234567']) {
      expect(CallLogPayloadSchema.parse({ ...base, number }).number).toBe('+905321234567');
    }
    expect(CallLogPayloadSchema.parse({ ...base, number: '4101' }).number).toBe('4101');
  });
});
