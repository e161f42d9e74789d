/**
 * Flow triggers react at least once and start at most once: a transition stays queued until its
 * reaction committed, so a failed reaction is tried again, and a reaction that committed but whose
 * transition was not removed (the scheduler died in between) is recognised when read again.
 * Failures are injected into what the scheduler sees of the store or the runtime; the runtime,
 * the store and the executions are real.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Runtime } from '../../../src/engine/runtime/index.js';
import type { Flow } from '../../../src/flow/model.js';
import type { Store } from '../../../src/store/contract.js';
import { harnessPool } from './support.js';
import type { Harness } from './support.js';

const harnesses = harnessPool();
let harness: Harness | undefined;

afterEach(async () => {
  vi.restoreAllMocks();
  await harnesses.closeAll();
  harness = undefined;
});

/** A method that fails on demand: `armed` calls that `when` accepts reject, counted in `failures`. */
interface Fault<T> {
  target: T;
  armed: number;
  failures: number;
}

/** `target` with `method` failing as its fault is armed; every other member is the target's own. */
function withFault<T extends object>(
  target: T,
  method: keyof T & string,
  armed: number,
  when: (...args: unknown[]) => boolean = () => true,
): Fault<T> {
  const fault: Fault<T> = { target, armed, failures: 0 };
  fault.target = new Proxy(target, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property, object);
      if (typeof value !== 'function') return value;
      const own = (...args: unknown[]): unknown =>
        (value as (...a: unknown[]) => unknown).apply(object, args);
      if (property !== method) return own;
      return (...args: unknown[]) => {
        if (fault.armed > 0 && when(...args)) {
          fault.armed--;
          fault.failures++;
          return Promise.reject(new Error(`injected failure of ${method}`));
        }
        return own(...args);
      };
    },
  });
  return fault;
}

const upstream = (id: string) => `id: ${id}
namespace: test.up
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: upstream
`;

const downstream = (id: string, flows: string[]) => `id: ${id}
namespace: test.down
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: downstream
triggers:
  - id: after
    type: io.kestra.plugin.core.trigger.Flow
    preconditions:
      id: upstream_done
      flows:
${flows.map((flowId) => `        - { namespace: test.up, flowId: ${flowId}, states: [SUCCESS] }`).join('\n')}
`;

/** Runs a flow to its end, then lets the scheduler react. */
async function run(flow: Flow): Promise<void> {
  const runtime = harness!.local.runtime;
  const execution = await runtime.submit(flow);
  await runtime.waitForEnd(execution.id);
  await harness!.clock.settle();
}

/** Waits until the scheduler has removed every transition (a retry comes with its 1 s poll). */
async function drained(): Promise<void> {
  await vi.waitFor(async () => expect(await harness!.local.store.readExecutionTransitions(10)).toEqual([]), {
    timeout: 15_000,
    interval: 50,
  });
  await harness!.clock.settle();
}

const nonEmpty = (seqs: unknown) => Array.isArray(seqs) && seqs.length > 0;

describe('Flow trigger reactions', () => {
  it('start the downstream flow once when a transition is read again after its reaction', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    let removal: Fault<Store> | undefined;
    harness = await harnesses.start('2025-01-01T10:00:00Z', undefined, {
      store: (real) => (removal = withFault(real, 'removeExecutionTransitions', 1, nonEmpty)).target,
    });
    const extract = await harness.deploy(upstream('extract'));
    await harness.deploy(downstream('transform', ['extract']));
    await run(extract);
    await drained();
    expect(removal?.failures).toBe(1);
    expect(await harness.executions('transform')).toHaveLength(1);
  });

  it('do not count an upstream end twice toward preconditions when read again', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    let removal: Fault<Store> | undefined;
    harness = await harnesses.start('2025-01-01T10:00:00Z', undefined, {
      store: (real) => (removal = withFault(real, 'removeExecutionTransitions', 0, nonEmpty)).target,
    });
    const bronze = await harness.deploy(upstream('bronze'));
    const silver = await harness.deploy(upstream('silver'));
    await harness.deploy(downstream('gold', ['bronze', 'silver']));
    await run(bronze);
    await drained();
    // Silver completes the preconditions: gold starts and they start over. Its transition is then
    // read again; counted again, it would leave silver met, and bronze alone would start gold.
    removal!.armed = 1;
    await run(silver);
    await drained();
    expect(removal?.failures).toBe(1);
    expect(await harness.executions('gold')).toHaveLength(1);
    await run(bronze);
    await drained();
    expect(await harness.executions('gold')).toHaveLength(1);
  });

  it('try a reaction again when the downstream execution did not commit', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    let submit: Fault<Runtime> | undefined;
    const toTransform = (flow: unknown) => (flow as Flow).id === 'transform';
    harness = await harnesses.start('2025-01-01T10:00:00Z', undefined, {
      runtime: (real) => (submit = withFault(real, 'submit', 2, toTransform)).target,
    });
    const extract = await harness.deploy(upstream('extract'));
    await harness.deploy(downstream('transform', ['extract']));
    await run(extract);
    await drained();
    expect(submit?.failures).toBe(2);
    expect(await harness.executions('transform')).toHaveLength(1);
  });
});
