export function browserMessage(opts: {
  url: string;
  noBrowser: boolean;
  chromium: string | null;
}): {
  open: boolean;
  message: string;
};
