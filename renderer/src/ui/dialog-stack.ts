/**
 * What an open dialog makes inert. Dialogs are not native modals (showModal() would make the
 * whole page inert, the phone included, and a ringing call could not be answered); instead the
 * topmost open dialog and whatever is marked `data-always-reachable` (the phone dock) stay
 * usable, and everything else on the page is made inert, as a modal would, until the dialog
 * closes. New nodes the app adds meanwhile are covered too (a MutationObserver).
 */
const stack: { el: HTMLElement; close: () => void }[] = [];
let inerted: HTMLElement[] = [];
let observer: MutationObserver | null = null;
let scheduled = false;

function apply() {
  for (const el of inerted) el.inert = false;
  inerted = [];
  const top = stack.at(-1)?.el;
  if (!top) return;
  const keep = [top, ...document.querySelectorAll<HTMLElement>('[data-always-reachable]')];
  const walk = (parent: Element) => {
    for (const child of Array.from(parent.children)) {
      if (!(child instanceof HTMLElement) || keep.includes(child)) continue;
      if (keep.some((k) => child.contains(k))) {
        walk(child);
      } else if (!child.inert && child.tagName !== 'SCRIPT') {
        child.inert = true;
        inerted.push(child);
      }
    }
  };
  walk(document.body);
}

function reapplySoon() {
  if (scheduled) return;
  scheduled = true;
  queueMicrotask(() => {
    scheduled = false;
    apply();
  });
}

/**
 * Escape closes the dialog on top, as a modal's would, wherever focus is (also on the page's
 * body, e.g. after the focused button went away), except in the phone dock, and unless a field
 * used the key itself (a combobox closing its list prevents the default).
 */
function onEscape(e: KeyboardEvent) {
  if (e.key !== 'Escape' || e.defaultPrevented) return;
  const top = stack.at(-1);
  if (!top) return;
  const focused = document.activeElement;
  if (focused?.closest('[data-always-reachable]')) return;
  e.preventDefault();
  top.close();
}

/** A dialog opened: it becomes the one usable dialog; `close` is what Escape does. */
export function pushDialog(el: HTMLElement, close: () => void): () => void {
  stack.push({ el, close });
  apply();
  if (!observer) {
    window.addEventListener('keydown', onEscape);
    observer = new MutationObserver((records) => {
      // Our own inert changes are attribute changes, not child lists: no loop.
      if (records.some((r) => r.type === 'childList')) reapplySoon();
    });
    observer.observe(document.body, { childList: true, subtree: true });
  }
  return () => {
    const i = stack.findIndex((d) => d.el === el);
    if (i >= 0) stack.splice(i, 1);
    apply();
    if (stack.length === 0) {
      observer?.disconnect();
      observer = null;
      window.removeEventListener('keydown', onEscape);
    }
  };
}
