import type { RoutingRule } from '../../domain/routing';
import type { Db } from './database';

/** The routing rules last received from the central API, for previews that work offline. */
export function createRoutingRepo(db: Db) {
  const all = db.prepare('SELECT * FROM routing_rule ORDER BY id');
  const insert = db.prepare(
    'INSERT INTO routing_rule (id, topic, district, place, target, priority, note) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  // Read on every registration and preview; changes only when a sync brings new rules.
  let cached: RoutingRule[] | null = null;
  return {
    rules(): RoutingRule[] {
      return (cached ??= (
        all.all() as {
          id: string;
          topic: string;
          district: string | null;
          place: string | null;
          target: string;
          priority: number;
          note: string;
        }[]
      ).map((r) => ({ ...r, place: r.place === null ? null : (JSON.parse(r.place) as string[]) })));
    },
    /** Replaces every rule; call inside a transaction. */
    replace(rules: readonly RoutingRule[]): void {
      cached = null;
      db.prepare('DELETE FROM routing_rule').run();
      for (const r of rules) {
        insert.run(
          r.id,
          r.topic,
          r.district,
          r.place === null ? null : JSON.stringify(r.place),
          r.target,
          r.priority,
          r.note,
        );
      }
    },
  };
}
export type RoutingRepo = ReturnType<typeof createRoutingRepo>;
