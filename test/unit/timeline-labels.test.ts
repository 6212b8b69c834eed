import { describe, expect, it } from 'vitest';
import { EVENT_KEY } from '../../renderer/src/i18n';
import { tr } from '../../renderer/src/locale/tr';
import { TIMELINE_EVENT_KINDS } from '../../src/domain/timeline';

/**
 * Every kind of timeline event (src/domain/timeline.ts: the workflow's entries and the server's
 * own events are typed by that list) reads in Turkish on the ŞÖK detail, never as its code: the
 * desk shows `EVENT_KEY[kind]`'s text and falls back to the raw kind only for a kind it does not
 * know (an older desk, a newer server).
 */
describe('timeline event labels', () => {
  it('give every event kind a Turkish label of its own', () => {
    const labels = TIMELINE_EVENT_KINDS.map(
      (kind) => [kind, tr[EVENT_KEY[kind]] as string] as const,
    );
    expect(labels.filter(([, label]) => typeof label !== 'string' || label.trim() === '')).toEqual(
      [],
    );
    expect(labels.filter(([kind, label]) => label === kind)).toEqual([]);
    // Two kinds never read the same on the timeline.
    const texts = labels.map(([, label]) => label);
    expect(texts.filter((t, i) => texts.indexOf(t) !== i)).toEqual([]);
  });

  it('name the mailbox’s events', () => {
    expect(tr[EVENT_KEY['citizen-email']]).toBe('Vatandaştan e-posta');
    expect(tr[EVENT_KEY['organisation-email']]).toBe('Kurumun e-postayla yanıtı');
    expect(tr[EVENT_KEY['external-overdue']]).toBe('Kurum süresinde yanıt vermedi');
  });

  it('have no label for a kind that does not exist', () => {
    expect(Object.keys(EVENT_KEY).sort()).toEqual([...TIMELINE_EVENT_KINDS].sort());
  });
});
