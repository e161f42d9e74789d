import { validateFlowSource } from '../src/flow/index.js';
import type { FileValidation, Problem } from '../src/flow/index.js';
import { catalog } from '../src/plugins/registry.js';

/** Validates YAML text with the built-in catalog. */
export function validateYaml(text: string, file = 'flow.yaml'): FileValidation {
  return validateFlowSource(text, { catalog, file });
}

/** Every problem (file-level and per flow) of a YAML text. */
export function problemsOf(text: string): Problem[] {
  const result = validateYaml(text);
  return [...result.problems, ...result.flows.flatMap((f) => f.problems)];
}

/** Errors only, as `LINE:COL message` strings. */
export function errorsOf(text: string): string[] {
  return problemsOf(text)
    .filter((p) => p.severity === 'error')
    .map((p) => `${p.line}:${p.column} ${p.message}`);
}

/** Warnings only, as `LINE:COL message` strings. */
export function warningsOf(text: string): string[] {
  return problemsOf(text)
    .filter((p) => p.severity === 'warning')
    .map((p) => `${p.line}:${p.column} ${p.message}`);
}

/** Wraps task YAML (indented by 2) into a minimal flow. */
export function flowWithTasks(tasksYaml: string): string {
  return `id: test_flow\nnamespace: company.team\ntasks:\n${tasksYaml}`;
}
