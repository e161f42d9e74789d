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

/**
 * Warnings other than those of expressions reading the rest of a flow (undeclared inputs,
 * outputs of other tasks): for snippets that are one task, whose flow is not there.
 */
export function warningsOfSnippet(text: string): string[] {
  return problemsOf(text)
    .filter((p) => p.severity === 'warning' && p.code !== 'WH_EXPR_REFERENCE')
    .map((p) => `${p.line}:${p.column} ${p.message}`);
}

/** The warnings of a plugin example: all for a whole flow, those of the task alone for a snippet. */
export function exampleWarnings(code: string): string[] {
  const isFlow = /^id:/m.test(code) && /^namespace:/m.test(code);
  return isFlow ? warningsOf(exampleFlow(code)) : warningsOfSnippet(exampleFlow(code));
}

/** Wraps task YAML (indented by 2) into a minimal flow. */
export function flowWithTasks(tasksYaml: string): string {
  return `id: test_flow\nnamespace: company.team\ntasks:\n${tasksYaml}`;
}

/** One task of the given type and properties (YAML lines indented by 4), as a flow. */
export function flowWithTask(type: string, body: string): string {
  return flowWithTasks(`  - id: t\n    type: ${type}\n${body}`);
}

/** The validated (normalized) first task of a flow, or undefined when the flow is invalid. */
export function firstTask(text: string): Record<string, unknown> | undefined {
  return validateYaml(text).flows[0]?.flow?.tasks[0];
}

/** A plugin example's YAML as a flow: a whole flow as is, a task list wrapped into one. */
export function exampleFlow(code: string): string {
  if (/^id:/m.test(code) && /^namespace:/m.test(code)) return code;
  return flowWithTasks(code.replace(/^/gm, '  '));
}
