import { defineTask, p } from '../../api.js';
import { taskName } from '../task-props.js';
import { SPLIT_MODES as MODES, splitFile } from '../../shared/split-file.js';

export default defineTask({
  type: 'io.kestra.plugin.core.storage.Split',
  legacyNames: ['io.kestra.core.tasks.storages.Split'],
  title: 'Split a file of internal storage into several',
  description:
    'Splits a line-oriented file into several files: by size (`bytes`), into a number of files (`partitions`), by line count (`rows`), or by the value a regex captures on each line (`regexPattern`). Give exactly one of them.',
  properties: {
    from: p.string().required().describe('The `kestra://` URI of the file to split.'),
    bytes: p.string().describe('Largest size of each file, e.g. `10MB`.'),
    partitions: p.integer({ min: 1 }).describe('Number of files to make; lines are dealt out in turn.'),
    rows: p.integer({ min: 1 }).describe('Lines per file.'),
    regexPattern: p
      .string()
      .describe(
        'A regex with a capture group: lines are grouped into files by the captured value; other lines are dropped.',
      ),
    separator: p.string().default('\n').describe('Separator written after each line.'),
  },
  outputs: {
    uris: { type: 'array', description: 'URIs of the files made.' },
  },
  check(props, report) {
    const given = MODES.filter((key) => props[key] !== undefined && props[key] !== null);
    if (given.length === 0) {
      report(
        [],
        `${taskName(props)} needs one of \`bytes\`, \`partitions\`, \`rows\` or \`regexPattern\` to know how to split`,
      );
    } else if (given.length > 1) {
      const [used, ...ignored] = given;
      for (const key of ignored) {
        report([key], `\`${key}\` is ignored because \`${used}\` is set: give only one way to split`, {
          severity: 'warning',
          atKey: true,
        });
      }
    }
  },
  async run(ctx, props) {
    const uris = await splitFile(ctx, props.from, 'from', props, `${ctx.run.taskId}_`);
    return { outputs: { uris } };
  },
  examples: [
    {
      title: 'One file per thousand lines',
      code: `- id: split
  type: io.kestra.plugin.core.storage.Split
  from: "kestra://company/team/orders.csv"
  rows: 1000`,
    },
    {
      title: 'Files of at most 10 MB',
      code: `- id: split_by_size
  type: io.kestra.plugin.core.storage.Split
  from: "kestra://company/team/orders.csv"
  bytes: 10MB`,
    },
  ],
});
