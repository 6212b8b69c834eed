import os from 'node:os';
import path from 'node:path';

/**
 * Where the browser host keeps its data: --data-dir, else $ALO153_DATA_DIR, else the XDG data
 * directory ($XDG_DATA_HOME/alo153, by default ~/.local/share/alo153).
 */
export function resolveDataDir(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  home: string = os.homedir(),
): string {
  const flag = argValue(argv, '--data-dir');
  if (flag !== undefined) return path.resolve(flag);
  if (env.ALO153_DATA_DIR) return path.resolve(env.ALO153_DATA_DIR);
  const xdg = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : null;
  return path.join(xdg ?? path.join(home, '.local', 'share'), 'alo153');
}

export function argValue(argv: readonly string[], name: string): string | undefined {
  const i = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return undefined;
  const arg = argv[i] as string;
  return arg.includes('=') ? arg.slice(name.length + 1) : argv[i + 1];
}
