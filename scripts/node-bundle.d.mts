import type { BuildOptions } from 'esbuild';

export const NODE_BUNDLE: BuildOptions & { external: string[] };
export const ESM_REQUIRE_BANNER: { js: string };
