/**
 * log.Fetch end to end (real SQLite store and worker): the logs of this execution or of another
 * one, by minimum level and by task, written one Ion line per log line; outputs `uri` and `size`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Execution } from '../../src/engine/model.js';
import { parseIon } from '../../src/plugins/api.js';
import { outputsOf, startTestRuntime } from './support/runtime.js';
import type { TestRuntime } from './support/runtime.js';

let rt: TestRuntime;

beforeAll(async () => {
  rt = await startTestRuntime();
});

afterAll(async () => {
  await rt?.dispose();
});

/** The task that reads the fetched file back, and its Ion lines parsed. */
const SHOW = `
  - id: show
    type: io.kestra.plugin.core.debug.Return
    format: "{{ read(outputs.fetch.uri) }}"`;
const fetchedLines = (execution: Execution) =>
  parseIon(String(outputsOf(execution, 'show')!.value), true) as Array<Record<string, unknown>>;

const LOGGING_TASKS = `
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: Hello there
  - id: oops
    type: io.kestra.plugin.core.log.Log
    level: ERROR
    message: Something went wrong
  - id: chatty
    type: io.kestra.plugin.core.log.Log
    level: WARN
    message: [first warning, second warning]`;

describe('log.Fetch', () => {
  it('fetches the ERROR lines of the current execution', async () => {
    const execution = await rt.run(`
id: fetch_errors
namespace: test.fetch
tasks:${LOGGING_TASKS}
  - id: fetch
    type: io.kestra.plugin.core.log.Fetch
    level: ERROR${SHOW}
`);
    expect(execution.state.current).toBe('SUCCESS');
    const outputs = outputsOf(execution, 'fetch')!;
    expect(outputs.size).toBe(1);
    const lines = fetchedLines(execution);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      taskId: 'oops',
      level: 'ERROR',
      message: 'Something went wrong',
      executionId: execution.id,
      namespace: 'test.fetch',
      flowId: 'fetch_errors',
    });
  });

  it('fetches the lines of some tasks only, at INFO and above by default', async () => {
    const execution = await rt.run(`
id: fetch_tasks
namespace: test.fetch
tasks:${LOGGING_TASKS}
  - id: fetch
    type: io.kestra.plugin.core.log.Fetch
    tasksId: [chatty, hello]${SHOW}
`);
    const outputs = outputsOf(execution, 'fetch')!;
    expect(outputs.size).toBe(3);
    const lines = fetchedLines(execution);
    expect(lines.map((l) => l.message)).toEqual(['first warning', 'second warning', 'Hello there']);
  });

  it("fetches another execution's lines by executionId", async () => {
    const source = await rt.run(`
id: fetch_source
namespace: test.fetch
tasks:${LOGGING_TASKS}
`);
    const execution = await rt.run(
      `
id: fetch_other
namespace: test.fetch
inputs:
  - id: source
    type: STRING
tasks:
  - id: fetch
    type: io.kestra.plugin.core.log.Fetch
    namespace: test.fetch
    flowId: fetch_source
    executionId: "{{ inputs.source }}"
    level: WARN${SHOW}
`,
      { source: source.id },
    );
    expect(execution.state.current).toBe('SUCCESS');
    const outputs = outputsOf(execution, 'fetch')!;
    const lines = fetchedLines(execution);
    expect(lines.map((l) => `${String(l.taskId)} ${String(l.message)}`)).toEqual([
      'oops Something went wrong',
      'chatty first warning',
      'chatty second warning',
    ]);
    expect(outputs.size).toBe(3);
    expect(lines.every((l) => l.executionId === source.id)).toBe(true);
  });
});
