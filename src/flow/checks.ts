import { ProblemCodes } from '../errors.js';
import { parseIsoDuration } from './duration.js';
import type { PathSegment, PendingProblem } from './problems.js';
import { didYouMean } from './suggest.js';
import type { DependencyScope } from './validate-plugin.js';

/** Checks a retry policy beyond its shape: bounded, and intervals in order. */
export function checkRetryPolicy(
  retry: Record<string, unknown>,
  path: PathSegment[],
  problems: PendingProblem[],
): void {
  const bounded = [retry.maxAttempts, retry.maxAttempt, retry.maxDuration].some(
    (v) => v !== undefined && v !== null,
  );
  if (!bounded) {
    problems.push({
      code: ProblemCodes.SUSPICIOUS,
      severity: 'warning',
      message:
        '`retry` has neither `maxAttempts` nor `maxDuration`, so a failing task would be retried forever',
      path,
    });
  }
  const ms = (key: string) => (typeof retry[key] === 'string' ? parseIsoDuration(retry[key]) : undefined);
  const lower = retry.type === 'random' ? 'minInterval' : 'interval';
  const low = ms(lower);
  const high = ms('maxInterval');
  if (low !== undefined && high !== undefined && low > high) {
    problems.push({
      code: ProblemCodes.INVALID_VALUE,
      severity: 'error',
      message: `\`retry.${lower}\` (${String(retry[lower])}) is longer than \`retry.maxInterval\` (${String(retry.maxInterval)})`,
      path: [...path, lower],
    });
  }
}

/** Reports every id declared more than once, pointing at the later declarations. */
export function checkDuplicateIds(
  ids: Map<string, PathSegment[][]>,
  what: string,
  problems: PendingProblem[],
): void {
  for (const [id, paths] of ids) {
    for (const path of paths.slice(1)) {
      problems.push({
        code: ProblemCodes.DUPLICATE_ID,
        severity: 'error',
        message: `duplicate ${what} id \`${id}\`: ${what} ids must be unique in the flow`,
        path: [...path, 'id'],
        related: [...paths[0]!, 'id'],
      });
    }
  }
}

/**
 * Checks `dependsOn` links: each names a task of the same list (siblings), and the links form
 * no cycle. `allTaskIds` tells a task elsewhere in the flow from one that does not exist.
 */
export function checkDependencies(
  scopes: readonly DependencyScope[],
  allTaskIds: ReadonlyMap<string, unknown>,
  problems: PendingProblem[],
): void {
  for (const scope of scopes) {
    const siblings = new Map(scope.entries.map((e) => [e.id, e]));
    const edges = new Map<string, string[]>();
    for (const entry of scope.entries) {
      if (!Array.isArray(entry.dependsOn)) continue;
      const valid: string[] = [];
      entry.dependsOn.forEach((name, index) => {
        if (typeof name !== 'string') return;
        const at = [...entry.path, 'dependsOn', index];
        if (siblings.has(name)) {
          valid.push(name);
        } else if (allTaskIds.has(name)) {
          problems.push({
            code: ProblemCodes.UNKNOWN_REFERENCE,
            severity: 'error',
            message: `\`dependsOn\` of task \`${entry.id}\` names \`${name}\`, which is not in the same task list; a task can only depend on its siblings`,
            path: at,
          });
        } else {
          problems.push({
            code: ProblemCodes.UNKNOWN_REFERENCE,
            severity: 'error',
            message: `\`dependsOn\` of task \`${entry.id}\` names unknown task \`${name}\`${didYouMean(
              name,
              [...siblings.keys()].filter((id) => id !== entry.id),
            )}`,
            path: at,
          });
        }
      });
      edges.set(entry.id, valid);
    }
    for (const cycle of findCycles(edges)) {
      const first = siblings.get(cycle[0]!)!;
      problems.push({
        code: ProblemCodes.DEPENDENCY_CYCLE,
        severity: 'error',
        message:
          cycle.length === 1
            ? `task \`${cycle[0]}\` depends on itself`
            : `\`dependsOn\` forms a cycle: ${[...cycle, cycle[0]].map((id) => `\`${id}\``).join(' → ')}`,
        path: [...first.path, 'dependsOn'],
      });
    }
  }
}

/** Each distinct cycle of a dependency graph once, as the list of its nodes. Iterative DFS. */
export function findCycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, 'active' | 'done'>();
  const cycles: string[][] = [];
  const seen = new Set<string>();
  for (const start of edges.keys()) {
    if (state.has(start)) continue;
    const stack: Array<{ node: string; next: number }> = [{ node: start, next: 0 }];
    state.set(start, 'active');
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const targets = edges.get(frame.node) ?? [];
      if (frame.next >= targets.length) {
        state.set(frame.node, 'done');
        stack.pop();
        continue;
      }
      const target = targets[frame.next++]!;
      const targetState = state.get(target);
      if (targetState === 'active') {
        const from = stack.findIndex((f) => f.node === target);
        const cycle = stack.slice(from).map((f) => f.node);
        const key = [...cycle].sort().join('\u0000');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
      } else if (targetState === undefined && edges.has(target)) {
        state.set(target, 'active');
        stack.push({ node: target, next: 0 });
      }
    }
  }
  return cycles;
}
