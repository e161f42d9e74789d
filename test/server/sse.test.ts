import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deployFlow } from '../../src/engine/runtime/local.js';
import type { Flow } from '../../src/flow/index.js';
import { readAllEvents, readEventsUntil } from './sse-client.js';
import { startTestServer } from './support.js';
import type { TestServer } from './support.js';

const SLOW_FLOW = `id: slow
namespace: api.sse
tasks:
  - id: before
    type: io.kestra.plugin.core.log.Log
    message: before sleeping
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT0.3S
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: after sleeping
`;

const PAUSE_FLOW = `id: held
namespace: api.sse
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: holding
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
`;

interface ExecutionEvent {
  id: string;
  state: { current: string };
}

describe('server-sent events over real HTTP', () => {
  let server: TestServer;
  let slow: Flow;
  let held: Flow;
  beforeAll(async () => {
    server = await startTestServer({ listen: true });
    slow = await deployFlow(server.local.store, SLOW_FLOW);
    held = await deployFlow(server.local.store, PAUSE_FLOW);
  });
  afterAll(() => server.close());

  const api = (path: string) => `${server.url!}/api/v1/main${path}`;

  it('follows an execution: its JSON on each change, `end` with the final state, then the stream closes', async () => {
    const execution = await server.local.runtime.submit(slow);
    const messages = await readAllEvents(api(`/executions/${execution.id}/follow`));
    const bodies = messages.map((m) => JSON.parse(m.data) as ExecutionEvent);
    expect(bodies.every((b) => b.id === execution.id)).toBe(true);
    expect(messages.at(-1)!.id).toBe('end');
    expect(bodies.at(-1)!.state.current).toBe('SUCCESS');
    expect(messages.slice(0, -1).every((m) => m.id === 'progress')).toBe(true);
    expect(bodies.some((b) => b.state.current === 'RUNNING')).toBe(true);
  });

  it('answers an ended execution with one `end` message, and an unknown one with a 404', async () => {
    const execution = await server.local.runtime.submit(slow);
    await server.local.runtime.waitForEnd(execution.id);
    const messages = await readAllEvents(api(`/executions/${execution.id}/follow`));
    expect(messages.map((m) => m.id)).toEqual(['end']);
    const missing = await fetch(api('/executions/nope/follow'));
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('WH_EXECUTION_NOT_FOUND');
  });

  it('follows a log: the lines so far, then new ones, closing when the execution ends', async () => {
    const execution = await server.local.runtime.submit(slow);
    await vi.waitFor(
      async () =>
        expect((await server.local.store.getLogs(execution.id, { taskId: 'before' })).length).toBe(1),
      { timeout: 5_000 },
    );
    const messages = await readAllEvents(api(`/logs/${execution.id}/follow?minLevel=INFO`));
    const texts = messages.map((m) => (JSON.parse(m.data) as { message: string }).message);
    expect(messages.every((m) => m.id === 'progress')).toBe(true);
    expect(texts.filter((t) => t.endsWith('sleeping'))).toEqual(['before sleeping', 'after sleeping']);
  });

  it('removes its listeners when the client disconnects (execution and log streams)', async () => {
    const runtime = server.local.runtime;
    const baseline = {
      execution: runtime.listenerCount('execution'),
      ended: runtime.listenerCount('ended'),
      log: runtime.listenerCount('log'),
    };
    const execution = await runtime.submit(held);
    await vi.waitFor(
      async () => expect((await runtime.execution(execution.id))?.state.current).toBe('PAUSED'),
      {
        timeout: 5_000,
      },
    );
    const execAbort = new AbortController();
    const logAbort = new AbortController();
    const first = await readEventsUntil(
      api(`/executions/${execution.id}/follow`),
      (messages) => messages.length > 0,
      execAbort.signal,
    );
    expect(first[0]!.id).toBe('progress');
    const lines = await readEventsUntil(
      api(`/logs/${execution.id}/follow`),
      (messages) => messages.some((m) => m.data.includes('holding')),
      logAbort.signal,
    );
    expect(lines.length).toBeGreaterThan(0);
    expect(runtime.listenerCount('execution')).toBe(baseline.execution + 1);
    expect(runtime.listenerCount('log')).toBe(baseline.log + 1);
    expect(runtime.listenerCount('ended')).toBe(baseline.ended + 2);
    execAbort.abort();
    logAbort.abort();
    await vi.waitFor(
      () =>
        expect({
          execution: runtime.listenerCount('execution'),
          ended: runtime.listenerCount('ended'),
          log: runtime.listenerCount('log'),
        }).toEqual(baseline),
      { timeout: 5_000 },
    );
    await runtime.command(execution.id, { kind: 'kill' });
  });
});
