import { defineTask, p } from '../../api.js';
import type { Prop } from '../../api.js';
import { checkCommands, checkScriptProps, SCRIPT_OUTPUTS, scriptProps } from '../../scripts/common.js';
import { shellQuote } from '../../scripts/run/commands.js';
import { runScript } from '../../scripts/run/run-script.js';
import { dbtHooks, projectPathOf } from '../run/dbt-hooks.js';
import { DBT_IMAGES, DBT_OUTPUTS, dbtCommonProps } from './common.js';

/**
 * Kestra's additions to each command starting with `dbt`: `--project-dir` (with `projectDir`),
 * `--log-format` (unless NONE) and `--log-path logs`, each unless the command has it already.
 */
function dbtCommands(props: Record<string, unknown>): (commands: string[]) => string[] {
  const projectPath = projectPathOf(props.projectDir);
  const logFormat = typeof props.logFormat === 'string' ? props.logFormat : 'JSON';
  return (commands) =>
    commands.map((command) => {
      if (!/^dbt(\s|$)/.test(command)) return command;
      let line = command;
      if (projectPath !== '.' && !line.includes('--project-dir'))
        line += ` --project-dir ${shellQuote(projectPath)}`;
      if (logFormat !== 'NONE' && !line.includes('--log-format'))
        line += ` --log-format ${logFormat.toLowerCase()}`;
      if (!line.includes('--log-path')) line += ' --log-path logs';
      return line;
    });
}

/** A KV key of a namespace where a manifest is kept. */
function manifestKeyProp(description: string): Prop {
  return p
    .object({
      key: p.string().required().describe('The KV key.'),
      namespace: p.string().required().describe('The namespace of the KV key.'),
    })
    .describe(description);
}

export default defineTask({
  type: 'io.kestra.plugin.dbt.cli.DbtCLI',
  title: 'Run dbt commands',
  description:
    'Runs dbt CLI commands (`dbt deps`, `dbt build`…) in the working directory, with the namespace files and `inputFiles`, after writing `profiles` to `profiles.yml` there (where dbt looks in its current directory). ' +
    "dbt's JSON log lines are logged at their level; afterwards `target/run_results.json` gives one log line per node (status, time, rows affected) and the `runResults` output, and `target/manifest.json` is stored (`outputFiles`) and, with `storeManifest`, kept in KV for `loadManifest` on a later run. " +
    'dbt must be installed where the commands run: on the worker with the `Process` task runner, or in `containerImage` with the Docker runner.',
  properties: {
    ...scriptProps(DBT_IMAGES.CORE),
    commands: p
      .list(p.string())
      .required()
      .describe(
        'The commands, run one after the other. Those starting with `dbt` get `--log-format` (see `logFormat`), `--log-path logs` and, with `projectDir`, `--project-dir`, unless they have them.',
      ),
    ...dbtCommonProps,
    projectDir: p
      .string()
      .describe(
        'The dbt project folder, relative to the working directory, when it is not the working directory itself; added to dbt commands as `--project-dir`.',
      ),
    storeManifest: manifestKeyProp(
      'Keep `target/manifest.json` in the KV store (as a JSON value) after the commands, for `loadManifest` on a later run.',
    ),
    loadManifest: manifestKeyProp(
      'Before the commands, write the manifest kept in KV to `target/manifest.json` of the project, for a command with `--state target` (e.g. `dbt build --select state:modified+ --state target`); a warning when there is none.',
    ),
    logFormat: p
      .enum(['JSON', 'TEXT', 'DEBUG', 'NONE'])
      .default('JSON')
      .describe(
        "The `--log-format` added to dbt commands; `NONE` adds none. With JSON (the default), dbt's log lines are logged at their own level and a warning ends the task in WARNING.",
      ),
    engine: p
      .enum(['CORE', 'FUSION'])
      .default('CORE')
      .describe(
        'The image a container task runner uses when `containerImage` is not set: `ghcr.io/kestra-io/dbt` (CORE) or `ghcr.io/kestra-io/dbt-fusion` (FUSION). No effect with the Process runner.',
      ),
  },
  outputs: { ...SCRIPT_OUTPUTS, ...DBT_OUTPUTS },
  run: (ctx, props) => {
    const image =
      props.engine === 'FUSION' && props.containerImage === DBT_IMAGES.CORE
        ? DBT_IMAGES.FUSION
        : props.containerImage;
    return runScript(
      ctx,
      { ...props, containerImage: image },
      { family: 'shell', mode: 'commands', defaultImage: DBT_IMAGES.CORE },
      dbtHooks(ctx, props, { profilesDir: '.', commands: dbtCommands(props) }),
    );
  },
  check: (props, report) => {
    checkScriptProps(props, report);
    checkCommands(props, report);
  },
  examples: [
    {
      title: "Build the course's dbt project from namespace files in a dbt container, keeping the manifest",
      code: `id: dbt_build
namespace: zoomcamp
tasks:
  - id: dbt-build
    type: io.kestra.plugin.dbt.cli.DbtCLI
    env:
      DBT_DATABASE: postgres-zoomcamp
      DBT_SCHEMA: public
    namespaceFiles:
      enabled: true
    containerImage: ghcr.io/kestra-io/dbt-postgres:latest
    taskRunner:
      type: io.kestra.plugin.scripts.runner.docker.Docker
      networkMode: host
    commands:
      - dbt deps
      - dbt build
    storeManifest:
      key: manifest.json
      namespace: "{{ flow.namespace }}"
    profiles: |
      default:
        outputs:
          dev:
            type: postgres
            host: localhost
            user: kestra
            password: "{{ secret('POSTGRES_PASSWORD') }}"
            port: 5432
            dbname: postgres-zoomcamp
            schema: public
            threads: 8
        target: dev`,
    },
    {
      title: 'Rebuild only what changed since the last run, with dbt installed on the worker',
      code: `id: dbt_state
namespace: company.team
tasks:
  - id: dbt
    type: io.kestra.plugin.dbt.cli.DbtCLI
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    namespaceFiles:
      enabled: true
    projectDir: dbt
    loadManifest:
      key: manifest.json
      namespace: "{{ flow.namespace }}"
    storeManifest:
      key: manifest.json
      namespace: "{{ flow.namespace }}"
    commands:
      - dbt build --select state:modified+ --state target
    profiles:
      my_project:
        target: dev
        outputs:
          dev:
            type: duckdb
            path: dbt.duckdb`,
    },
  ],
});
