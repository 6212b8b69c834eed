import type { Migration } from '../migrate';
import { initial } from './0001-initial';

export const migrations: readonly Migration[] = [initial];
