import fs from 'node:fs';
import path from 'node:path';
import { createStream } from 'rotating-file-stream';
import { redactLogText } from '../domain/log-redact';

export const LOG_FILE = 'alo153.log';

export interface DeskLog {
  dir: string;
  /** Writes one line: time, message, the error's message and stack; redacted (log-redact.ts). */
  log(message: string, error?: unknown): void;
  /** The last `maxBytes` of the log (previous file first when the current one is short). */
  tail(maxBytes: number): string;
  close(): Promise<void>;
}

/**
 * The desk's log file in `<data folder>/logs` (issue #21): rotated at 1 MB, five files kept
 * (rotating-file-stream), so it never fills a disk and IT can always read the last days. It
 * names ŞÖKs by id and registration number only; redaction removes the rest (phone numbers,
 * e-mail addresses, a citizen's words echoed in an error).
 */
export function openDeskLog(
  dir: string,
  options: {
    now?: () => Date;
    echo?: (line: string) => void;
    size?: string;
    maxFiles?: number;
  } = {},
): DeskLog {
  fs.mkdirSync(dir, { recursive: true });
  const now = options.now ?? (() => new Date());
  const stream = createStream(
    (time: number | Date | null, index?: number) =>
      time === null || time === undefined ? LOG_FILE : `alo153.${index ?? 1}.log`,
    // Classical rotation: alo153.1.log is the previous file, alo153.5.log the oldest.
    { path: dir, size: options.size ?? '1M', rotate: options.maxFiles ?? 5 },
  );
  stream.on('error', () => undefined);
  let closed = false;
  return {
    dir,
    log(message, error) {
      const detail =
        error === undefined || error === ''
          ? ''
          : ` | ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
      const line = `${now().toISOString()} ${redactLogText(`${message}${detail}`)}`.replace(
        /\r?\n/g,
        '\n    ',
      );
      options.echo?.(line);
      if (!closed) stream.write(`${line}\n`);
    },
    tail(maxBytes) {
      const read = (file: string) => {
        try {
          return fs.readFileSync(path.join(dir, file));
        } catch {
          return Buffer.alloc(0);
        }
      };
      let bytes = read(LOG_FILE);
      if (bytes.length < maxBytes) bytes = Buffer.concat([read('alo153.1.log'), bytes]);
      return bytes.subarray(Math.max(0, bytes.length - maxBytes)).toString('utf8');
    },
    close: () =>
      new Promise<void>((resolve) => {
        closed = true;
        stream.end(() => resolve());
      }),
  };
}
