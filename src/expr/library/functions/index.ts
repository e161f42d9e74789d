import type { FunctionDefinition } from '../types.js';
import { CORE_FUNCTIONS } from './core.js';
import { DATE_FUNCTIONS } from './dates.js';
import { ID_FUNCTIONS } from './ids.js';
import { PARSE_FUNCTIONS } from './json.js';

/** Every function but render() and the host functions, by family. */
export const FUNCTIONS: readonly FunctionDefinition[] = [
  ...CORE_FUNCTIONS,
  ...PARSE_FUNCTIONS,
  ...ID_FUNCTIONS,
  ...DATE_FUNCTIONS,
];
