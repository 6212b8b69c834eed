import { create } from 'zustand';
import type { MailItem } from '../../../src/domain/api/mailbox';
import { DESCRIPTION_MAX } from '../../../src/domain/sok';
import { EMPTY_INTAKE, type IntakeValues } from '../intake/values';

/**
 * "Register as ŞÖK" from the E-posta queue: the queue hands the mail over, the intake form takes
 * it (prefilled values) and, while it is `active`, saves through `mailbox.register` so the
 * mail is reserved for the new ŞÖK and its receipt answers the citizen's mail.
 */
interface MailIntakeState {
  /** Handed over by the queue, not yet taken by the form. */
  pending: { item: MailItem; values: IntakeValues } | null;
  /** The mail the intake form is registering. */
  active: MailItem | null;
  offer(item: MailItem): void;
  take(): { item: MailItem; values: IntakeValues } | null;
  finish(): void;
}

/** The intake form's values from a mail: channel e-posta, the sender, the text. */
export function valuesFromMail(item: MailItem): IntakeValues {
  const text = item.text.trim() === '' ? item.subject : item.text;
  return {
    ...EMPTY_INTAKE,
    channelCode: 'e-posta',
    citizenName: item.from.name?.trim() ?? '',
    citizenEmail: item.from.address ?? '',
    preferredContact: item.from.address ? 'e-posta' : 'telefon',
    description: text.trim().slice(0, DESCRIPTION_MAX),
  };
}

export const useMailIntake = create<MailIntakeState>((set, get) => ({
  pending: null,
  active: null,
  offer(item) {
    set({ pending: { item, values: valuesFromMail(item) } });
  },
  take() {
    const pending = get().pending;
    if (pending) set({ pending: null, active: pending.item });
    return pending;
  },
  finish() {
    set({ active: null, pending: null });
  },
}));
