/**
 * Issue 18, item 9: `logToFile: true` (Kestra's LogToFileTest). The task's log lines go to a
 * file in internal storage instead of the log store; the attempt carries the file's `kestra://`
 * URI as `logFile`, as Kestra's attempts do, and the execution JSON shows it. Secrets are masked
 * in the file as in the log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskRunJson } from '../../src/engine/kestra-json.js';
import { startTestRuntime } from './support/runtime.js';
import type { TestRuntime } from './support/runtime.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('logToFile', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await startTestRuntime({ env: { ...process.env, SECRET_LTF_TOKEN: b64('ltf-token-1234') } });
  });
  afterAll(() => rt.dispose());

  it("writes the attempt's log lines to a file and links it from the attempt", async () => {
    const execution = await rt.run(`id: log_to_file
namespace: test.logfile
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: Hello from a file, {{ secret('ltf_token') }}
    logToFile: true
  - id: plain
    type: io.kestra.plugin.core.log.Log
    message: in the log store
`);
    expect(execution.state.current).toBe('SUCCESS');
    const hello = execution.taskRunList.find((r) => r.taskId === 'hello')!;
    expect(hello.attempts).toHaveLength(1);
    const logFile = hello.attempts[0]!.logFile;
    expect(logFile).toMatch(/^kestra:\/\/\/test\/logfile\/log_to_file\/executions\/.+\.log$/);
    const lines = (await rt.runtime.storage.readBuffer(logFile!)).toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z INFO +Hello from a file, \*{6}$/);

    // In the file instead of the log store; other tasks still log there.
    const logs = await rt.logs(execution.id);
    expect(logs.some((l) => l.includes('Hello from a file'))).toBe(false);
    expect(logs).toContain('INFO plain in the log store');

    expect(taskRunJson(hello).attempts).toEqual([expect.objectContaining({ logFile })]);
    const plain = execution.taskRunList.find((r) => r.taskId === 'plain')!;
    expect(plain.attempts[0]!.logFile).toBeUndefined();
  });
});
