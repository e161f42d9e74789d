/**
 * The process the crash test kills: `submit` deploys the flows and submits 50 executions (their
 * ids go to ids.json, then it prints SUBMITTED); `resume` only recovers. Both run until every
 * submitted execution (and its subflow) has ended, then print DONE.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isTerminal } from '../../../src/engine/model.js';
import { startTestRuntime } from './runtime.js';

const [dataDir, recordFile, mode] = process.argv.slice(2) as [string, string, 'submit' | 'resume'];
const rt = await startTestRuntime({ workerConcurrency: 4 }, dataDir);
process.stdout.write('READY\n');

if (mode === 'submit') {
  await rt.deploy(`
id: crash_child
namespace: test.crash
tasks:
  - id: child_work
    type: test.windhover.Record
    file: ${recordFile}
    ms: 40
`);
  const flow = await rt.deploy(`
id: crash
namespace: test.crash
tasks:
  - id: first
    type: test.windhover.Record
    file: ${recordFile}
    ms: 60
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b", "c"]
    concurrencyLimit: 2
    tasks:
      - id: item
        type: test.windhover.Record
        file: ${recordFile}
        ms: 40
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT0.3S
  - id: sub
    type: io.kestra.plugin.core.flow.Subflow
    namespace: test.crash
    flowId: crash_child
  - id: last
    type: test.windhover.Record
    file: ${recordFile}
    ms: 20
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "done {{ outputs.first.pid }}"
`);
  const ids: string[] = [];
  for (let i = 0; i < 50; i++) ids.push((await rt.runtime.submit(flow)).id);
  writeFileSync(join(dataDir, 'ids.json.tmp'), JSON.stringify(ids));
  renameSync(join(dataDir, 'ids.json.tmp'), join(dataDir, 'ids.json'));
  process.stdout.write('SUBMITTED\n');
}

const ids = JSON.parse(readFileSync(join(dataDir, 'ids.json'), 'utf8')) as string[];
for (;;) {
  const page = await rt.store.searchExecutions({ namespace: 'test.crash', size: 1000 });
  if (page.total >= ids.length * 2 && page.results.every((e) => isTerminal(e.state.current))) break;
  await new Promise((r) => setTimeout(r, 50));
}
process.stdout.write('DONE\n');
await rt.close(1000);
