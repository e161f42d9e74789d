/**
 * Task types that exist only in tests, to drive the worker into the cases real plugins reach
 * rarely: a plugin that throws a plain error, one that never settles, one that records each run
 * in a file (to count runs across crashes).
 */
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { createCatalog } from '../../../src/flow/catalog.js';
import type { PluginCatalog } from '../../../src/flow/catalog.js';
import { defineTask, p } from '../../../src/plugins/api.js';
import { PLUGINS } from '../../../src/plugins/registry.js';

export const Throw = defineTask({
  type: 'test.windhover.Throw',
  title: 'Throws',
  description: 'Throws a plain Error (not a TaskFailure).',
  properties: { message: p.string().default('boom') },
  run(_ctx, props) {
    throw new Error(String(props.message));
  },
});

export const Hang = defineTask({
  type: 'test.windhover.Hang',
  title: 'Never settles',
  description: 'Returns a promise that never settles and ignores its abort signal.',
  properties: {},
  run() {
    return new Promise(() => undefined);
  },
});

export const Record = defineTask({
  type: 'test.windhover.Record',
  title: 'Records its runs',
  description: 'Appends `time pid taskRunId attempt start|end` lines to `file`, waiting `ms` in between.',
  properties: { file: p.string().required(), ms: p.integer().default(0) },
  async run(ctx, props) {
    const line = (what: string) =>
      appendFileSync(
        String(props.file),
        `${Date.now()}\t${process.pid}\t${ctx.run.taskRunId}\t${ctx.run.attempt}\t${what}\n`,
      );
    line('start');
    if (Number(props.ms) > 0) await sleep(Number(props.ms), undefined, { signal: ctx.signal });
    line('end');
    ctx.logger.info(`recorded ${ctx.run.taskRunId}`);
    return { outputs: { pid: process.pid } };
  },
});

/** Every built-in plugin, and the test ones. */
export const testCatalog: PluginCatalog = createCatalog([...PLUGINS, Throw, Hang, Record]);
