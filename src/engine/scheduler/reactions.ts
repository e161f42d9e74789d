/**
 * What the scheduler does when an execution ends: disable the trigger that started it if its
 * `stopAfter` names the state, and start the flows whose Flow trigger matches (also when an
 * execution pauses, as Kestra's default `states` include PAUSED).
 */
import type { Execution } from '../model.js';
import { renderContext, renderer } from './firing.js';
import { evaluateFlowTrigger, flowTriggerVariables } from './flow-trigger.js';
import type { TriggerMemory } from './memory.js';
import { entryKey } from './scheduler.js';
import type { SchedulerCore } from './scheduler.js';

export const FLOW_TYPE = 'io.kestra.plugin.core.trigger.Flow';

/** Whether any deployed flow has a Flow trigger. */
export function hasFlowTriggers(core: SchedulerCore): boolean {
  for (const entry of core.entries.values()) if (entry.trigger.type === FLOW_TYPE) return true;
  return false;
}

/** An execution ended: `stopAfter` of the trigger that started it, then every Flow trigger. */
export async function executionEnded(core: SchedulerCore, execution: Execution): Promise<void> {
  if (execution.trigger) {
    const entry = core.entries.get(entryKey(execution.namespace, execution.flowId, execution.trigger.id));
    const stopAfter = entry?.trigger.stopAfter;
    if (
      entry &&
      Array.isArray(stopAfter) &&
      stopAfter.includes(execution.state.current) &&
      !entry.memory.disabled
    ) {
      await core.saveMemory(entry, { ...entry.memory, disabled: true, stoppedBy: execution.id });
    }
  }
  await runFlowTriggers(core, execution);
}

/** Starts the flows whose Flow trigger matches an execution that ended or paused. */
export async function runFlowTriggers(core: SchedulerCore, execution: Execution): Promise<void> {
  const now = core.clock.now();
  for (const entry of [...core.entries.values()]) {
    if (entry.trigger.type !== FLOW_TYPE || core.isDisabled(entry)) continue;
    // A flow never triggers itself: an endless chain of executions otherwise.
    if (entry.flow.namespace === execution.namespace && entry.flow.id === execution.flowId) continue;
    const variables = flowTriggerVariables(execution);
    const render = renderer(renderContext(entry.flow, variables), core.zone);
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
    const memory: TriggerMemory = decision.preconditions
      ? { ...entry.memory, preconditions: decision.preconditions }
      : entry.memory;
    if (decision.fire) await core.startExecution(entry, variables, memory, { upstream: execution });
    else if (decision.preconditions) await core.saveMemory(entry, memory);
  }
  core.arm();
}
