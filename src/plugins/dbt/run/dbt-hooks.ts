/**
 * What the dbt tasks add to the script machinery (run-script.ts), as Kestra's dbt plugin does:
 * before the process, the kept manifest and `profiles.yml` in the working directory; during
 * it, dbt's JSON log lines logged at their level; after it, `target/manifest.json` kept in KV
 * and stored, `target/run_results.json` read into outputs and log lines, and on a failure the
 * failed nodes (or dbt's last error) in the task's error.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { toText } from '../../api.js';
import type { TaskContext } from '../../api.js';
import type { AfterRun, ScriptHooks } from '../../scripts/run/run-script.js';
import { pathInside } from '../../shared/working-files.js';
import { DbtLogReader } from './logs.js';
import { loadManifest, manifestKey, storeManifest } from './manifest.js';
import { profilesText, writeProfiles } from './profiles.js';
import { failureDetail, logResults, oneLine, parseRunResults } from './results.js';
import type { NodeResult } from './results.js';

/** How a dbt task differs from the others. */
export interface DbtTaskShape {
  /** The folder of `profiles.yml`, relative to the working directory. */
  profilesDir: string;
  /** The command lines to run, from the rendered `commands` (flags added). */
  commands: (commands: string[], workingDir: string) => string[];
}

/** What replaces a credential in outputs, as in logs. */
const MASK = '******';

/** The project folder relative to the working directory: `projectDir`, or `.`. */
export function projectPathOf(value: unknown): string {
  const text = value === undefined || value === null ? '' : toText(value).trim().replace(/\/+$/, '');
  return text === '' || text === '.' ? '.' : text;
}

/** The hooks of one run of a dbt task with these (rendered) properties. */
export function dbtHooks(ctx: TaskContext, props: Record<string, unknown>, shape: DbtTaskShape): ScriptHooks {
  const projectPath = projectPathOf(props.projectDir);
  const profiles = profilesText(props.profiles);
  const store = manifestKey(ctx, props.storeManifest, 'storeManifest');
  const load = manifestKey(ctx, props.loadManifest, 'loadManifest');
  const logs = new DbtLogReader(ctx.logger);
  let credentials: string[] = [];
  /** When run_results.json was last written before the run, to tell a stale one. */
  let resultsBefore: number | undefined;
  const projectDirIn = (workingDir: string) =>
    projectPath === '.' ? workingDir : pathInside(workingDir, projectPath, 'projectDir');

  return {
    // As Kestra: Python's output unbuffered (logs as they come), pip quiet about root.
    env: { PYTHONUNBUFFERED: 'true', PIP_ROOT_USER_ACTION: 'ignore' },
    commands: shape.commands,
    prepare: async (workingDir) => {
      if (load) await loadManifest(ctx, load, workingDir, projectPath);
      if (profiles !== undefined)
        credentials = await writeProfiles(ctx, workingDir, shape.profilesDir, profiles);
      resultsBefore = await modifiedAt(join(projectDirIn(workingDir), 'target', 'run_results.json'));
    },
    onLine: (line) => logs.accept(line),
    afterRun: async (workingDir): Promise<AfterRun> => {
      const target = join(projectDirIn(workingDir), 'target');
      const outputFiles: Record<string, string> = {};
      const manifest = join(target, 'manifest.json');
      if (existsSync(manifest)) {
        if (store) await storeManifest(ctx, store, manifest);
        outputFiles['manifest.json'] = await ctx.storage.putLocalFile(manifest, 'manifest.json');
      } else if (store)
        ctx.logger.warn(`dbt wrote no target/manifest.json: nothing is stored in KV under \`${store.key}\``);

      let results: NodeResult[] | undefined;
      const runResults = join(target, 'run_results.json');
      if (props.parseRunResults !== false && existsSync(runResults)) {
        if ((await modifiedAt(runResults)) === resultsBefore)
          ctx.logger.warn(
            'target/run_results.json was not written by this run: its results are not reported',
          );
        else {
          results = await readResults(ctx, runResults);
          outputFiles['run_results.json'] = await ctx.storage.putLocalFile(runResults, 'run_results.json');
        }
      }
      if (results) logResults(ctx.logger, results);
      const lastError = logs.errors.at(-1);
      const detail =
        (results && failureDetail(results)) ?? (lastError ? `dbt: ${oneLine(lastError)}` : undefined);
      return {
        outputs: results ? { runResults: masked(results, credentials) } : {},
        outputFiles,
        warning: logs.warning,
        ...(detail ? { failureDetail: detail } : {}),
      };
    },
  };
}

/** The results of a run_results.json; none, with a warning, when it cannot be read. */
async function readResults(ctx: TaskContext, path: string): Promise<NodeResult[] | undefined> {
  try {
    return parseRunResults(await readFile(path, 'utf8'));
  } catch (error) {
    ctx.logger.warn(`target/run_results.json cannot be read: ${(error as Error).message}`);
    return undefined;
  }
}

/** The results with the profile's credentials masked in their messages (outputs are not log lines). */
function masked(results: NodeResult[], credentials: readonly string[]): NodeResult[] {
  if (credentials.length === 0) return results;
  const longestFirst = [...credentials].sort((a, b) => b.length - a.length);
  return results.map((r) =>
    r.message === undefined
      ? r
      : { ...r, message: longestFirst.reduce((text, value) => text.split(value).join(MASK), r.message) },
  );
}

async function modifiedAt(path: string): Promise<number | undefined> {
  return (await stat(path).catch(() => undefined))?.mtimeMs;
}
