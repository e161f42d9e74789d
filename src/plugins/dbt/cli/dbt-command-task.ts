/**
 * Kestra's older one-command dbt tasks (`Build`, `Run`, `Test`: its `AbstractRun`): the
 * command line is made from properties (`select`, `target`, `fullRefresh`…) instead of
 * written, and `profiles` goes to `.profile/profiles.yml`, given to dbt with `--profiles-dir`.
 * They run like DbtCLI, on the script machinery.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineTask, p, toText } from '../../api.js';
import type { TaskPlugin } from '../../api.js';
import { checkScriptProps, SCRIPT_OUTPUTS, scriptProps } from '../../scripts/common.js';
import { shellQuote } from '../../scripts/run/commands.js';
import { runScript } from '../../scripts/run/run-script.js';
import { dbtHooks, projectPathOf } from '../run/dbt-hooks.js';
import { DBT_IMAGES, DBT_OUTPUTS, dbtCommonProps } from './common.js';

/** Where these tasks write `profiles`, relative to the working directory (Kestra's `.profile`). */
const PROFILES_DIR = '.profile';

const SCRIPT_PROPS = scriptProps(DBT_IMAGES.CORE);
/** The script properties these tasks have (no `commands`, `beforeCommands` or `interpreter`). */
const SHARED = [
  'env',
  'inputFiles',
  'outputFiles',
  'namespaceFiles',
  'containerImage',
  'taskRunner',
  'docker',
  'runner',
];

const properties = {
  ...Object.fromEntries(SHARED.map((name) => [name, SCRIPT_PROPS[name]!])),
  dockerOptions: SCRIPT_PROPS.docker!.deprecated('docker'),
  ...dbtCommonProps,
  dbtPath: p
    .string()
    .describe(
      "The dbt program. Kestra's default is `./bin/dbt`; Windhover runs `./bin/dbt` when the working directory has one, and `dbt` from PATH otherwise.",
    ),
  projectDir: p
    .string()
    .describe(
      'The dbt project folder, relative to the working directory; the working directory when not set.',
    ),
  failFast: p.boolean().default(false).describe('Stop at the first failure (`--fail-fast`).'),
  warnError: p.boolean().default(false).describe('Turn dbt warnings into errors (`--warn-error`).'),
  debug: p.boolean().default(false).describe('Debug logging (`--debug`).'),
  thread: p.integer({ min: 1 }).describe('How many threads dbt uses (`--threads`).'),
  fullRefresh: p
    .boolean()
    .default(false)
    .describe('Rebuild incremental models from scratch (`--full-refresh`).'),
  target: p.string().describe('The target of the profile to use (`--target`).'),
  selector: p.string().describe('A selector of `selectors.yml` (`--selector`).'),
  select: p.list(p.string()).describe('The nodes to run (`--select`), in dbt selection syntax.'),
  exclude: p.list(p.string()).describe('The nodes not to run (`--exclude`).'),
};

const texts = (value: unknown): string[] => (Array.isArray(value) ? value.map((v) => toText(v)) : []);

/** The one command line of such a task, as Kestra builds it. */
function commandLine(command: string, props: Record<string, unknown>, workingDir: string): string {
  const dbtPath =
    typeof props.dbtPath === 'string' && props.dbtPath.trim() !== ''
      ? props.dbtPath
      : existsSync(join(workingDir, 'bin', 'dbt'))
        ? './bin/dbt'
        : 'dbt';
  const select = texts(props.select);
  const exclude = texts(props.exclude);
  const words = [
    dbtPath,
    '--log-format',
    'json',
    ...(props.debug === true ? ['--debug'] : []),
    ...(props.failFast === true ? ['--fail-fast'] : []),
    ...(props.warnError === true ? ['--warn-error'] : []),
    command,
    '--profiles-dir',
    PROFILES_DIR,
    ...(typeof props.thread === 'number' ? ['--threads', String(props.thread)] : []),
    ...(props.fullRefresh === true ? ['--full-refresh'] : []),
    ...(typeof props.target === 'string' ? ['--target', props.target] : []),
    ...(typeof props.selector === 'string' ? ['--selector', props.selector] : []),
    ...(select.length > 0 ? ['--select', ...select] : []),
    ...(exclude.length > 0 ? ['--exclude', ...exclude] : []),
    '--project-dir',
    projectPathOf(props.projectDir),
  ];
  return words.map(shellQuote).join(' ');
}

/** A task running `dbt <command>` with the properties above. */
export function dbtCommandTask(command: 'build' | 'run' | 'test', does: string): TaskPlugin {
  const name = command[0]!.toUpperCase() + command.slice(1);
  return defineTask({
    type: `io.kestra.plugin.dbt.cli.${name}`,
    title: `Run dbt ${command}`,
    description: `Runs \`dbt ${command}\` (${does}) with the selection and options given as properties, \`profiles\` written to \`.profile/profiles.yml\`. DbtCLI, which takes the commands as written, is the newer way.`,
    properties,
    outputs: { ...SCRIPT_OUTPUTS, ...DBT_OUTPUTS },
    run: (ctx, props) =>
      runScript(
        ctx,
        // `failFast` here is dbt's, not the shell's `set -e`.
        { ...props, failFast: true, interpreter: undefined, beforeCommands: undefined },
        { family: 'shell', mode: 'commands', defaultImage: DBT_IMAGES.CORE },
        dbtHooks(ctx, props, {
          profilesDir: PROFILES_DIR,
          commands: (_commands, workingDir) => [commandLine(command, props, workingDir)],
        }),
      ),
    check: (props, report) => checkScriptProps(props, report),
    examples: [
      {
        title: `Run dbt ${command} on a project in the namespace files, with dbt on the worker`,
        code: `id: dbt_${command}
namespace: company.team
tasks:
  - id: dbt_${command}
    type: io.kestra.plugin.dbt.cli.${name}
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    namespaceFiles:
      enabled: true
    select:
      - stg_orders+
    profiles: |
      my_project:
        target: dev
        outputs:
          dev:
            type: duckdb
            path: dbt.duckdb`,
      },
    ],
  });
}
