import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forEachBackend } from '../../../test/support/backends';
import {
  createNotificationBackend,
  type NotificationBackend,
} from '../../../test/support/notifications';
import {
  DEFAULT_TEMPLATES,
  listTemplates,
  loadTemplate,
  placeholdersIn,
  renderTemplate,
  saveTemplate,
  seedNotificationTemplates,
  validateTemplate,
} from './templates';

describe('notification templates', () => {
  it('ship a valid text for every template, with the registration number, topic and date', () => {
    for (const [code, text] of DEFAULT_TEMPLATES) {
      expect(validateTemplate(code, text), code).toEqual({});
    }
    expect(placeholdersIn(DEFAULT_TEMPLATES.get('receipt.sms')?.body ?? '')).toEqual(
      expect.arrayContaining(['regNo', 'topic', 'date', 'followUp']),
    );
  });

  it('render every placeholder once, without re-reading values as placeholders', () => {
    const text = 'No {{regNo}} – {{ topic }} – {{date}} – {{citizenName}}{{followUp}}';
    expect(
      renderTemplate(text, { regNo: '0012-3454', topic: '{{regNo}} çöp', date: '02.03.2026' }),
    ).toBe('No 0012-3454 – {{regNo}} çöp – 02.03.2026 – ');
  });

  it('refuse unknown and malformed placeholders with Turkish field messages', () => {
    const unknown = validateTemplate('receipt.sms', {
      subject: null,
      body: '{{regNo}} {{topic}} {{date}} {{adres}}',
    });
    expect(unknown.body).toContain('Bilinmeyen yer tutucu: {{adres}}');
    expect(unknown.body).toContain('{{regNo}}');
    const malformed = validateTemplate('receipt.sms', {
      subject: null,
      body: '{{regNo}} {{topic}} {{date} ',
    });
    expect(malformed.body).toContain('çift süslü parantez');
    const missing = validateTemplate('receipt.email', { subject: 'Başvuru', body: '{{topic}}' });
    expect(missing.body).toContain('{{regNo}}, {{date}} bulunmalıdır');
    const followUp = validateTemplate('receipt.follow-up', { subject: null, body: '{{topic}}' });
    expect(followUp.body).toContain('{{topic}}');
  });

  it('require a one-line e-mail subject and no subject on SMS', () => {
    const body = '{{regNo}} {{topic}} {{date}}';
    expect(validateTemplate('receipt.email', { subject: ' ', body }).subject).toBe(
      'E-posta konusu zorunludur.',
    );
    expect(validateTemplate('receipt.email', { subject: 'a\nBcc: x@y', body }).subject).toBe(
      'Konu tek satır olmalıdır.',
    );
    expect(validateTemplate('receipt.sms', { subject: 'Konu', body }).subject).toBe(
      'Bu şablonun konusu olmaz.',
    );
    expect(validateTemplate('receipt.sms', { subject: null, body: 'x'.repeat(481) }).body).toBe(
      'Metin en fazla 480 karakter olabilir.',
    );
  });
});

forEachBackend('template seeding', (kind) => {
  let b: NotificationBackend;
  beforeAll(async () => {
    b = await createNotificationBackend(kind);
  });
  afterAll(async () => {
    await b?.drop();
  });

  it('inserts missing templates only and never overwrites an admin’s edit', async () => {
    const edited = { subject: null, body: 'Kayıt {{regNo}}: {{topic}}, {{date}}.' };
    await saveTemplate(b.db, 'receipt.sms', edited, b.agentId, new Date());
    await b.db.deleteFrom('notification_template').where('code', '=', 'receipt.email').execute();

    expect(await seedNotificationTemplates(b.db, new Date())).toBe(1);
    expect(await seedNotificationTemplates(b.db, new Date())).toBe(0);
    expect((await loadTemplate(b.db, 'receipt.sms')).body).toBe(edited.body);
    expect(await loadTemplate(b.db, 'receipt.email')).toEqual(
      DEFAULT_TEMPLATES.get('receipt.email'),
    );
    const listed = await listTemplates(b.db);
    expect(listed.map((t) => t.code)).toEqual([
      'receipt.sms',
      'receipt.email',
      'referral.sms',
      'referral.email',
      'decision.sms',
      'decision.email',
      'handoff.email',
      'escalation.email',
      'external-request.email',
      'external-reminder.email',
      'receipt.follow-up',
    ]);
    expect(listed[0]?.updatedBy).toBe(b.agentId);
  });
});
