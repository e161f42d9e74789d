import type { FunctionDefinition } from '../types.js';

/** Every function but render() and the host functions, by family. */
export const FUNCTIONS: readonly FunctionDefinition[] = [];
