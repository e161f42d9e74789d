/**
 * WorkingDirectory `cache`: the files matching its patterns are kept after a successful run and
 * put back in the directory at the start of the next execution of the flow, until `ttl` passes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, statesOf } from '../../engine/support/runtime.js';
import type { TestRuntime } from '../../engine/support/runtime.js';
import { logsOf, PROCESS } from '../scripts/support.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt.dispose();
});

const indent = (text: string) => text.replace(/^(?=.)/gm, '    ');

/** A flow whose WorkingDirectory reports what the cache gave it, then fills the cache. */
function cachedFlow(id: string, ttl: string, extraCommand = ''): string {
  return `id: ${id}
namespace: test.cache
tasks:
  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    cache:
      patterns:
        - deps/**
${ttl ? `      ttl: ${ttl}\n` : ''}    inputFiles:
      deps/input.txt: from inputFiles
    tasks:
      - id: use
        type: io.kestra.plugin.scripts.shell.Commands
${indent(PROCESS)}        commands:
          - if [ -f deps/lib/kept.txt ]; then echo "hit $(cat deps/lib/kept.txt)"; else echo miss; fi
          - if [ -f other.txt ]; then echo "other was restored"; fi
          - if [ -x deps/lib/run.sh ]; then echo "run.sh is executable"; fi
          - mkdir -p deps/lib && echo "{{ execution.id }}" > deps/lib/kept.txt
          - printf 'echo hi' > deps/lib/run.sh && chmod +x deps/lib/run.sh
          - echo "not cached" > other.txt
${extraCommand}`;
}

describe('WorkingDirectory cache', () => {
  it('restores the matching files of the last successful run', async () => {
    const first = await rt.run(cachedFlow('cached', 'PT1H'));
    expect(statesOf(first)).toEqual({ wdir: 'SUCCESS', use: 'SUCCESS' });
    expect(await logsOf(rt, first, 'use')).toEqual(['INFO miss']);
    const second = await rt.run(cachedFlow('cached', 'PT1H'));
    expect(await logsOf(rt, second, 'use')).toEqual([`INFO hit ${first.id}`, 'INFO run.sh is executable']);
    const third = await rt.run(cachedFlow('cached', 'PT1H'));
    expect(await logsOf(rt, third, 'use')).toEqual([`INFO hit ${second.id}`, 'INFO run.sh is executable']);
  });

  it('keeps nothing from a failed run', async () => {
    const first = await rt.run(cachedFlow('cached_fail', ''));
    const failing = await rt.run(cachedFlow('cached_fail', '', '          - exit 1\n'));
    expect(failing.state.current).toBe('FAILED');
    expect(await logsOf(rt, failing, 'use')).toContain(`INFO hit ${first.id}`);
    const after = await rt.run(cachedFlow('cached_fail', ''));
    expect(await logsOf(rt, after, 'use')).toEqual([`INFO hit ${first.id}`, 'INFO run.sh is executable']);
  });

  it('forgets the cache once its ttl has passed', async () => {
    await rt.run(cachedFlow('cached_ttl', 'PT1S'));
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const late = await rt.run(cachedFlow('cached_ttl', 'PT1S'));
    expect(await logsOf(rt, late, 'use')).toEqual(['INFO miss']);
  });

  it('is kept per flow', async () => {
    await rt.run(cachedFlow('cached_a', ''));
    const other = await rt.run(cachedFlow('cached_b', ''));
    expect(await logsOf(rt, other, 'use')).toEqual(['INFO miss']);
  });
});
