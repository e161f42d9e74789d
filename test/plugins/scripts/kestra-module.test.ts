/**
 * The `kestra` Python module (python/kestra.py) in real scripts: its lines as the task reads
 * them, and what a standalone run prints (the format of the `kestra` package on PyPI).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputsOf, startTestRuntime, statesOf } from '../../engine/support/runtime.js';
import type { TestRuntime } from '../../engine/support/runtime.js';
import { flow, logsOf, PROCESS } from './support.js';

const PYTHON_DIR = join(import.meta.dirname, '../../../python');

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt.dispose();
});

/** Runs a Python snippet with the module importable; returns what it printed. */
function python(code: string): { stdout: string } {
  const stdout = execFileSync('python3', ['-c', code], {
    env: { ...process.env, PYTHONPATH: PYTHON_DIR },
    encoding: 'utf8',
  });
  return { stdout };
}

describe('the module alone', () => {
  it('prints one ::{json}:: line per call, as the PyPI package does', () => {
    const { stdout } = python(`
from kestra import Kestra
Kestra.outputs({"a": 1, "nested": {"b": [1, 2]}, "text": "é\\u2028"})
Kestra.counter("rows", 5, {"table": "trips"})
Kestra.counter("plain", 1)
Kestra.timer("load", 1.5)
`);
    expect(stdout.split('\n').filter(Boolean)).toEqual([
      '::{"outputs": {"a": 1, "nested": {"b": [1, 2]}, "text": "\\u00e9\\u2028"}}::',
      '::{"metrics": [{"name": "rows", "type": "counter", "value": 5, "tags": {"table": "trips"}}]}::',
      '::{"metrics": [{"name": "plain", "type": "counter", "value": 1, "tags": {}}]}::',
      '::{"metrics": [{"name": "load", "type": "timer", "value": 1.5, "tags": {}}]}::',
    ]);
  });

  it('times a callable in seconds', () => {
    const { stdout } = python(`
import time
from kestra import Kestra
Kestra.timer("nap", lambda: time.sleep(0.05))
`);
    const metric = JSON.parse(stdout.trim().slice(2, -2)) as { metrics: Array<{ value: number }> };
    expect(metric.metrics[0]!.value).toBeGreaterThanOrEqual(0.05);
    expect(metric.metrics[0]!.value).toBeLessThan(1);
  });

  it('logger: DEBUG and INFO on stdout, WARNING and above on stderr, as protocol lines', () => {
    const { stdout } = python(`
import sys
sys.stderr = sys.stdout  # one stream, to read both in order
from kestra import Kestra
log = Kestra.logger()
log.debug("d")
log.info("i %s", "arg")
log.warning("w")
log.error("e")
log.critical("c")
assert Kestra.logger() is log
`);
    expect(stdout.split('\n').filter(Boolean)).toEqual([
      '::{"logs": [{"level": "DEBUG", "message": "d"}]}::',
      '::{"logs": [{"level": "INFO", "message": "i arg"}]}::',
      '::{"logs": [{"level": "WARN", "message": "w"}]}::',
      '::{"logs": [{"level": "ERROR", "message": "e"}]}::',
      '::{"logs": [{"level": "ERROR", "message": "c"}]}::',
    ]);
  });
});

describe('in a python.Script task', () => {
  it('outputs, counter, timer and logger reach vars and the log at their levels', async () => {
    const e = await rt.run(
      flow(`  - id: py
    type: io.kestra.plugin.scripts.python.Script
${PROCESS}    warningOnStdErr: true
    script: |
      import time
      from kestra import Kestra
      print("plain print")
      Kestra.outputs({"total": 45, "names": ["a", "b"]})
      Kestra.outputs({"more": True})
      Kestra.counter("rows", 45, {"table": "trips"})
      Kestra.timer("nap", lambda: time.sleep(0.01))
      log = Kestra.logger()
      log.info("info line")
      log.warning("warning line")
      log.error("error line")
  - id: next
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.py.vars.total }} {{ outputs.py.vars.names[1] }} {{ outputs.py.vars.more }}"
`),
    );
    // Protocol lines on stderr are not "standard error output": no WARNING.
    expect(statesOf(e)).toEqual({ py: 'SUCCESS', next: 'SUCCESS' });
    expect(outputsOf(e, 'py')).toEqual({ exitCode: 0, vars: { total: 45, names: ['a', 'b'], more: true } });
    expect(outputsOf(e, 'next')).toEqual({ value: '45 b true' });
    const logs = await logsOf(rt, e, 'py');
    expect(logs).toContain('INFO plain print');
    expect(logs).toContain('DEBUG Metric rows (counter): 45 {"table":"trips"}');
    expect(logs.some((l) => /^DEBUG Metric nap \(timer\): 0\.0\d+ s$/.test(l))).toBe(true);
    expect(logs).toContain('INFO info line');
    expect(logs).toContain('WARN warning line');
    expect(logs).toContain('ERROR error line');
    expect(logs.filter((l) => l.includes('::'))).toEqual([]);
  });
});
