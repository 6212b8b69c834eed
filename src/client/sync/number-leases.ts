import { t } from '../../domain/i18n/tr';
import { ApiFailure, type ApiClient } from '../api/http';
import type { NumberBlocks } from './number-blocks';

export interface NumberLeaseDeps {
  api: ApiClient;
  blocks: NumberBlocks;
  /** Lease another block when fewer numbers than this remain. */
  threshold: number;
  /** Runs once the leasing is over (the status's count of numbers left). */
  afterLeasing: () => void;
}

/**
 * Leases numbers until the stock is above the threshold. A lease the server refuses (this
 * user's limit, the number space nearly used up) is not a failed sync: ŞÖKs registered without
 * a number get theirs from the server. Returns why no number was leased, for the user.
 */
export async function refillNumbers(deps: NumberLeaseDeps, userId: string): Promise<string | null> {
  const { blocks, api } = deps;
  try {
    while (blocks.remaining(userId) < deps.threshold) {
      const block = await api.leaseNumberBlock();
      blocks.add(block, userId);
    }
    return null;
  } catch (error) {
    if (error instanceof ApiFailure && (error.status === 409 || error.status === 429)) {
      return t('sync.numbersRefused', { reason: error.userMessage ?? error.message });
    }
    throw error;
  } finally {
    deps.afterLeasing();
  }
}
