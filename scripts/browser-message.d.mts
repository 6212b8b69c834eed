export function browserMessage(opts: {
  url: string;
  noBrowser: boolean;
  chromium: string | null;
  display?: boolean;
}): {
  open: boolean;
  message: string;
};
export function electronBinaryIn(dir: string): string | null;
export function applyChromiumPreferences(
  profileDir: string,
  policyPrefs: Record<string, unknown>,
): void;
