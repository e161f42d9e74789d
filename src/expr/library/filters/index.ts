import type { FilterDefinition } from '../types.js';
import { BASIC_FILTERS } from './basic.js';

/** Every filter, by family. */
export const FILTERS: readonly FilterDefinition[] = [...BASIC_FILTERS];
