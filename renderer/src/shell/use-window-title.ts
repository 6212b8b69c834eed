import { useEffect } from 'react';
import type { SessionUser } from '../../../src/domain/session';
import { useReference } from '../reference-store';

/**
 * "Alo 153 — Deniz Masa (Yıldırım Belediyesi)": the window (Electron's follows the page title,
 * as does the browser host's app window) and the taskbar say who works in it, and where.
 */
export function windowTitle(user: SessionUser | null, orgName: string | null): string {
  if (!user) return 'Alo 153';
  return `Alo 153 — ${user.displayName} (${orgName ?? user.orgCode})`;
}

export function useWindowTitle(user: SessionUser): void {
  const orgName = useReference(
    (s) => s.reference?.organisations.find((o) => o.code === user.orgCode)?.name ?? null,
  );
  useEffect(() => {
    document.title = windowTitle(user, orgName);
    return () => {
      document.title = windowTitle(null, null);
    };
  }, [user, orgName]);
}
