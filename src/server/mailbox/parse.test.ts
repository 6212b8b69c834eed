import { describe, expect, it } from 'vitest';
import { MailboxConfigSchema } from './config';
import { findRegNo, htmlToPlainText, parseMessage } from './parse';

const limits = MailboxConfigSchema.parse({ maxHeaderBytes: 2048 });
const mail = (...lines: string[]) => Buffer.from(lines.join('\r\n'));

describe('reading one message', () => {
  it('finds only registration numbers whose check digit holds', () => {
    expect(findRegNo('Re: Başvurunuz (0000-0018)')).toBe('0000-0018');
    expect(findRegNo('kayıt no 00000018, teşekkürler')).toBe('0000-0018');
    expect(findRegNo('numara 0000-0017')).toBeNull();
    expect(findRegNo('telefon 0532 123 4567')).toBeNull();
  });

  it('turns HTML into text without markup, scripts or link targets', () => {
    const text = htmlToPlainText(
      '<h1>Başlık</h1><p>Merhaba <a href="http://x.test">bağlantı</a></p><script>kötü()</script>',
    );
    expect(text).toContain('Başlık');
    expect(text).toContain('Merhaba bağlantı');
    expect(text).not.toMatch(/kötü|x\.test|</);
  });

  it('quarantines instead of throwing, keeping the sender and subject it could read', async () => {
    const parsed = await parseMessage(
      mail(
        'From: Ali <ali@ornek.test>',
        'Subject: =?utf-8?Q?Bozuk_kodlama?=',
        'Content-Type: text/plain; charset=x-bilinmeyen',
        '',
        'metin',
      ),
      limits,
    );
    expect(parsed).toMatchObject({
      kind: 'quarantined',
      quarantineReason: 'unknown-charset: x-bilinmeyen',
      fromAddress: 'ali@ornek.test',
      subject: 'Bozuk kodlama',
    });
    const garbage = await parseMessage(Buffer.from([0, 1, 2, 3, 255, 254]), limits);
    expect(garbage.kind).toBe('quarantined');
  });

  it('takes Precedence: list and List-Id mail as automatic', async () => {
    for (const header of ['Precedence: list', 'List-Id: <duyuru.ornek.test>']) {
      const parsed = await parseMessage(
        mail('From: liste@ornek.test', 'Subject: Duyuru', header, '', 'metin'),
        limits,
      );
      expect(parsed.kind).toBe('automatic');
    }
    const human = await parseMessage(
      mail('From: a@ornek.test', 'Subject: x', 'Auto-Submitted: no', '', 'metin'),
      limits,
    );
    expect(human.kind).toBe('citizen');
  });
});
