/**
 * The phone's global keyboard shortcuts. They work whatever has focus or is open (a ŞÖK dialog,
 * a form field): the phone must be reachable in the middle of any task. Alt+letter like the
 * app's other shortcuts (Alt+Y new ŞÖK), on the physical key (event.code) so the Turkish Q and F
 * layouts and AltGr (Ctrl+Alt, which types @ and € on a Turkish keyboard) never trigger them.
 */
export type PhoneShortcut = 'answer' | 'hangup' | 'hold';

export const PHONE_SHORTCUTS: Record<PhoneShortcut, { keys: string; code: string }> = {
  answer: { keys: 'Alt+A', code: 'KeyA' },
  hangup: { keys: 'Alt+K', code: 'KeyK' },
  hold: { keys: 'Alt+B', code: 'KeyB' },
};

export function shortcutOf(e: {
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  code: string;
}): PhoneShortcut | null {
  if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return null;
  for (const [name, s] of Object.entries(PHONE_SHORTCUTS) as [PhoneShortcut, { code: string }][]) {
    if (s.code === e.code) return name;
  }
  return null;
}
