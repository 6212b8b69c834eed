import { z } from 'zod';

/**
 * "Tanı bilgisi" (issue #21): what IT asks a desk for when something is wrong, on both hosts.
 * Nothing here names a citizen: ŞÖK ids, registration numbers, kinds of change and messages.
 */
export const SipDiagnosticsSchema = z.strictObject({
  /** The softphone's registration as the page sees it ('registered', 'unregistered', …). */
  state: z.string().max(40),
  /** Its message, as shown in the header. */
  message: z.string().max(300),
});
export type SipDiagnostics = z.output<typeof SipDiagnosticsSchema>;

export interface SyncErrorEntry {
  at: string;
  message: string;
}

export interface Diagnostics {
  version: string;
  host: 'electron' | 'browser';
  versions: Record<string, string>;
  platform: string;
  dataDir: string;
  logDir: string | null;
  apiUrl: string;
  /** The signed-in user's name and organisation (an employee, not a citizen). */
  user: { username: string; orgCode: string; role: string } | null;
  /** The exchange this user's phone registers with (its address only). */
  sipServer: string | null;
  sync: {
    state: string;
    pending: number;
    rejected: number;
    lastSyncAt: string | null;
    lastError: string | null;
  };
  /** The last distinct sync errors, newest first. */
  syncErrors: SyncErrorEntry[];
  /** Changes the server refused: which ŞÖK and why, not what was typed. */
  rejected: { mutationId: number; kind: string; entityId: string; message: string; at: string }[];
  /** What the desktop shell adds (Electron: update status); null in the browser host. */
  shell: Record<string, unknown> | null;
}

/** The support bundle's file name: "alo153-tani-20261207-1405.json" (Istanbul time). */
export function supportBundleName(at: Date): string {
  const local = new Date(at.getTime() + 3 * 3_600_000).toISOString();
  return `alo153-tani-${local.slice(0, 10).replaceAll('-', '')}-${local.slice(11, 16).replace(':', '')}.json`;
}
