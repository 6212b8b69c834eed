import type { PasswordHasher } from './auth/password';
import type { AuthService } from './auth/service';
import type { Clock } from './clock';
import type { ServerConfig } from './config';
import type { ServerDb } from './db/open';
import type { ChangeNotifier } from './changefeed/notifier';

/**
 * What route modules get: the same objects the core routes use. Its own module so that the
 * route modules, which app.ts registers, do not import app.ts back.
 */
export interface AppDeps {
  db: ServerDb;
  notifier: ChangeNotifier;
  config: ServerConfig;
  clock: Clock;
  hasher: PasswordHasher;
  auth: AuthService;
}
