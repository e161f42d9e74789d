/**
 * What the scheduler does when an execution ends: disable the trigger that started it if its
 * `stopAfter` names the state, and start the flows whose Flow trigger matches (also when an
 * execution pauses, as Kestra's default `states` include PAUSED).
 *
 * A reaction may run twice for one transition (its scheduler died before removing it), so each
 * is idempotent: the trigger's memory notes the transitions it reacted to, committed with what
 * the reaction changed (the execution it started, its precondition results, its `stopAfter`).
 */
import type { Flow } from '../../flow/model.js';
import { indexFlow } from '../executor/flow-index.js';
import type { Execution } from '../model.js';
import { buildVariables, IndexedExecution } from '../worker/variables.js';
import { renderContext, renderer } from './firing.js';
import { evaluateFlowTrigger, flowTriggerVariables } from './flow-trigger.js';
import { withReacted } from './memory.js';
import type { TriggerMemory } from './memory.js';
import { entryKey } from './scheduler.js';
import type { SchedulerCore } from './scheduler.js';

export const FLOW_TYPE = 'io.kestra.plugin.core.trigger.Flow';

/** Whether any deployed flow has a Flow trigger. */
export function hasFlowTriggers(core: SchedulerCore): boolean {
  for (const entry of core.entries.values()) if (entry.trigger.type === FLOW_TYPE) return true;
  return false;
}

/**
 * An execution ended (transition `seq`): `stopAfter` of the trigger that started it, then every
 * Flow trigger. False when a reaction did not commit (the store failed): try the transition again.
 */
export async function executionEnded(
  core: SchedulerCore,
  execution: Execution,
  seq: number,
): Promise<boolean> {
  if (execution.trigger) {
    const entry = core.entries.get(entryKey(execution.namespace, execution.flowId, execution.trigger.id));
    // A subflow's child carries the task that started it as trigger: not one of its flow's triggers.
    const stopAfter = entry?.trigger.type === execution.trigger.type ? entry.trigger.stopAfter : undefined;
    if (
      entry &&
      Array.isArray(stopAfter) &&
      stopAfter.includes(execution.state.current) &&
      !entry.memory.disabled &&
      // Re-enabled since this very end disabled it: the transition is read again, not new.
      !entry.memory.reacted?.includes(seq)
    ) {
      await core.saveMemory(
        entry,
        withReacted({ ...entry.memory, disabled: true, stoppedBy: execution.id }, seq),
      );
    }
  }
  return runFlowTriggers(core, execution, seq);
}

/**
 * Starts the flows whose Flow trigger matches an execution that ended or paused (transition
 * `seq`). False when one of them did not commit (the others did, and are skipped next time).
 */
export async function runFlowTriggers(
  core: SchedulerCore,
  execution: Execution,
  seq: number,
): Promise<boolean> {
  const now = core.clock.now();
  let committed = true;
  let upstreamContext: Record<string, unknown> | undefined;
  for (const entry of [...core.entries.values()]) {
    if (entry.trigger.type !== FLOW_TYPE || core.isDisabled(entry)) continue;
    // A flow never triggers itself: an endless chain of executions otherwise.
    if (entry.flow.namespace === execution.namespace && entry.flow.id === execution.flowId) continue;
    if (entry.memory.reacted?.includes(seq)) continue;
    upstreamContext ??= await upstreamVariables(core, execution);
    const variables = flowTriggerVariables(execution);
    const render = renderer(flowTriggerContext(entry.flow, upstreamContext, variables), core.zone);
    let decision;
    try {
      decision = evaluateFlowTrigger(
        entry.trigger,
        execution,
        entry.memory.preconditions,
        now,
        render,
        core.zone,
      );
    } catch (error) {
      core.report(`flow trigger ${entry.flow.namespace}.${entry.flow.id}.${entry.trigger.id}`, error);
      continue;
    }
    const memory: TriggerMemory = withReacted(
      decision.preconditions ? { ...entry.memory, preconditions: decision.preconditions } : entry.memory,
      seq,
    );
    try {
      if (decision.fire) {
        const fired = flowTriggerVariables(execution, decision.outputs);
        const context = flowTriggerContext(entry.flow, upstreamContext, fired);
        committed =
          (await core.startExecution(entry, fired, memory, { upstream: execution, context })) && committed;
      } else if (decision.preconditions) await core.saveMemory(entry, memory);
    } catch (error) {
      core.report(`flow trigger ${entry.flow.namespace}.${entry.flow.id}.${entry.trigger.id}`, error);
      committed = false;
    }
  }
  core.arm();
  return committed;
}

/**
 * What the upstream execution's tasks could read (its `outputs.<task>`, `inputs`, `execution`,
 * `labels`…), which a Flow trigger's `inputs` and conditions read too, as in Kestra (it renders
 * them in a run context of the upstream execution). Without the upstream's flow (deleted), none.
 */
async function upstreamVariables(core: SchedulerCore, upstream: Execution): Promise<Record<string, unknown>> {
  const runtime = core.options.runtime;
  const flow = await runtime.flows
    .get(upstream.namespace, upstream.flowId, upstream.flowRevision)
    .catch(() => undefined);
  if (!flow) return {};
  return buildVariables({
    indexed: new IndexedExecution(upstream, flow, indexFlow(flow)),
    env: runtime.taskEnv,
  });
}

/** The render context of a Flow trigger: the upstream's, with this flow and `trigger.*`. */
function flowTriggerContext(
  flow: Flow,
  upstream: Record<string, unknown>,
  variables: Record<string, unknown>,
): Record<string, unknown> {
  const own = renderContext(flow, variables);
  // The upstream's labels are the execution's; this flow's vars are its own.
  return {
    ...upstream,
    ...own,
    ...(upstream.labels ? { labels: upstream.labels } : {}),
    vars: flow.variables,
  };
}
