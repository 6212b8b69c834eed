import { formatRegNo } from '../../domain/regno';
import type { NumberBlock } from '../../domain/sync';
import type { Db } from '../store/database';

/**
 * Registration numbers leased from the server in blocks, so a ŞÖK registered offline still gets
 * its final number at once. Draw inside the transaction that stores the ŞÖK.
 */
export function createNumberBlocks(db: Db) {
  const oldest = db.prepare(
    'SELECT start, next FROM number_block WHERE user_id = ? AND next <= end_incl ORDER BY start LIMIT 1',
  );
  const advance = db.prepare('UPDATE number_block SET next = next + 1 WHERE start = ?');
  const insert = db.prepare(
    'INSERT OR IGNORE INTO number_block (start, end_incl, next, user_id) VALUES (?, ?, ?, ?)',
  );
  const remaining = db
    .prepare('SELECT coalesce(sum(end_incl - next + 1), 0) FROM number_block WHERE user_id = ?')
    .pluck();
  const dropUsed = db.prepare('DELETE FROM number_block WHERE next > end_incl');

  return {
    /** The next number for this user, or null when every leased block is used up. */
    draw(userId: string): string | null {
      const block = oldest.get(userId) as { start: number; next: number } | undefined;
      if (!block) return null;
      advance.run(block.start);
      return formatRegNo(block.next);
    },
    add(block: NumberBlock, userId: string): void {
      insert.run(block.start, block.endIncl, block.start, userId);
      dropUsed.run();
    },
    remaining(userId: string): number {
      return remaining.get(userId) as number;
    },
  };
}
export type NumberBlocks = ReturnType<typeof createNumberBlocks>;
