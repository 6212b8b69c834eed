/** Time source for everything with an expiry (tokens, lockouts); tests pass a fake one. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** ISO-8601 UTC, the form every timestamp is stored in. */
export function isoAfter(now: Date, seconds: number): string {
  return new Date(now.getTime() + seconds * 1000).toISOString();
}
