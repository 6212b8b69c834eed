import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

/**
 * The SIP suite: Kamailio + rtpengine + Chromium, inside a loopback-only network namespace.
 * Run it through the namespace wrapper, never directly:
 *   test/sip/run-in-netns.sh npx vitest run --project sip
 */
export default defineProject({
  test: {
    name: 'sip',
    // Works both as a project of the root config and on its own (--config test/sip/…).
    dir: path.dirname(fileURLToPath(import.meta.url)),
    include: ['**/*.test.ts'],
    environment: 'node',
    testTimeout: 90_000,
    hookTimeout: 90_000,
    // One SIP rig and one Chromium at a time: the tests measure timing and media.
    fileParallelism: false,
  },
});
