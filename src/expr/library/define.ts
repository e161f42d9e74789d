import type { FilterDefinition, FunctionDefinition, TestDefinition } from './types.js';

/** Identity helpers that give definitions their types (and one place to add checks later). */
export const defineFilter = (def: FilterDefinition): FilterDefinition => def;
export const defineFunction = (def: FunctionDefinition): FunctionDefinition => def;
export const defineTest = (def: TestDefinition): TestDefinition => def;
