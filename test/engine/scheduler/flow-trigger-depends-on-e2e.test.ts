/**
 * A Flow trigger written in Kestra's newer `dependsOn` form, through the runtime and scheduler:
 * it validates, waits for both upstream flows, then (without `window.fireOnce`) fires again on
 * each further upstream end within the window.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Flow } from '../../../src/flow/model.js';
import { openHarness, removeData } from './support.js';
import type { Harness } from './support.js';

let harness: Harness | undefined;

afterEach(async () => {
  if (!harness) return;
  await harness.close();
  removeData(harness.dataDir);
  harness = undefined;
});

const upstream = (id: string) => `id: ${id}
namespace: test.up
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: upstream
`;

async function run(flow: Flow): Promise<void> {
  const execution = await harness!.local.runtime.submit(flow);
  await harness!.local.runtime.waitForEnd(execution.id);
  await harness!.clock.settle();
}

describe('Flow trigger dependsOn', () => {
  it('starts the flow once both upstream flows ended, then on each further end', async () => {
    harness = await openHarness('2025-01-01T10:00:00Z');
    const bronze = await harness.deploy(upstream('bronze'));
    const silver = await harness.deploy(upstream('silver'));
    await harness.deploy(`id: gold
namespace: test.down
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "after {{ trigger.flowId }}"
triggers:
  - id: after_both
    type: io.kestra.plugin.core.trigger.Flow
    window:
      every: PT1H
    dependsOn:
      - namespace: test.up
        flowId: bronze
        states: [SUCCESS]
      - flowId: silver
        when: "{{ trigger.state == 'SUCCESS' }}"
`);
    await run(bronze);
    expect(await harness.executions('gold')).toHaveLength(0);
    await run(silver);
    expect(await harness.executions('gold')).toHaveLength(1);
    await run(silver);
    const started = await harness.executions('gold');
    expect(started).toHaveLength(2);
    expect(started.map((e) => e.trigger?.variables.flowId)).toEqual(['silver', 'silver']);
  });
});
