/** `windhover run`: runs a flow file in this process. Imported when the command runs. */
import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { newId } from '../../engine/ids.js';
import { ErrorCodes, ProblemCodes, WindhoverError } from '../../errors.js';
import { executionJson } from '../../engine/kestra-json.js';
import type { Execution } from '../../engine/model.js';
import { loadPluginsAndCheck, openLocal, saveCheckedFlow } from '../../engine/runtime/index.js';
import type { LocalSetup } from '../../engine/runtime/index.js';
import { formatProblem } from '../../flow/index.js';
import type { InputProblem } from '../../flow/index.js';
import type { Flow, Label } from '../../flow/model.js';
import { didYouMean } from '../../flow/suggest.js';
import { executionSummaryLines } from '../execution-view.js';
import { out, paint } from '../output.js';
import { followExecution } from '../progress.js';
import type { RunOptions } from './run.js';

/** How long running tasks may take to finish when the process is asked to stop (SIGTERM). */
const SHUTDOWN_GRACE_MS = 30_000;

/** `key=value` pairs (the first `=` splits). */
export function parsePairs(pairs: readonly string[], option: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new WindhoverError(ErrorCodes.USAGE, `${option} takes key=value, got \`${pair}\``);
    values[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return values;
}

/**
 * Runs a flow file to its end; returns the exit code: 0 on SUCCESS or WARNING, 1 otherwise.
 * An invalid flow or invalid inputs are refused (WH_FLOW_INVALID, WH_INPUT_INVALID) before any
 * execution is created.
 */
export async function runFlowFile(
  file: string,
  rawInputs: Record<string, string>,
  options: RunOptions,
): Promise<number> {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    throw new WindhoverError(ErrorCodes.FILE_UNREADABLE, `cannot read the flow file: ${file}`);
  }
  const labels: Label[] = Object.entries(parsePairs(options.label, '--label')).map(([key, value]) => ({
    key,
    value,
  }));
  // Progress goes to stderr when stdout is taken by --json or is not a terminal.
  const progress = options.json || !process.stdout.isTTY ? process.stderr : process.stdout;
  // Checked before the data folder is opened: what the validator warns about (an input read but
  // not declared fails only when its task runs) shows before the run, and a misspelt input stops it.
  const checked = await loadPluginsAndCheck(source, file);
  for (const warning of checked.warnings)
    progress.write(`${paint(progress, 'yellow', formatProblem(warning))}\n`);
  refuseUndeclaredInputs(checked.flow, rawInputs);
  const setup = await openLocal(options.data);
  let stopFollowing: (() => void) | undefined;
  let interrupts = 0;
  let executionId: string | undefined;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1 && executionId) {
      progress.write(
        '\nKilling the execution (Ctrl-C again to leave at once; it resumes on the next start)\n',
      );
      void setup.runtime.command(executionId, { kind: 'kill' });
    } else process.exit(130);
  };
  const onSigterm = () => {
    progress.write(
      `\nStopping: running tasks get up to ${SHUTDOWN_GRACE_MS / 1000} s to finish; the execution resumes on the next start\n`,
    );
    void setup.close(SHUTDOWN_GRACE_MS).finally(() => process.exit(143));
  };
  process.on('SIGINT', onSigint);
  process.once('SIGTERM', onSigterm);
  try {
    const flow = await saveCheckedFlow(setup.store, checked.flow, source);
    const id = newId();
    const inputs = setup.runtime.prepareInputs(flow, await uploadFileInputs(setup, flow, id, rawInputs));
    await setup.runtime.start();
    stopFollowing = followExecution(setup.runtime, id, progress);
    executionId = id;
    progress.write(
      `Running ${flow.namespace}.${flow.id} (revision ${flow.revision ?? 1}) as execution ${id}\n`,
    );
    const ended = setup.runtime.waitForEnd(id);
    await setup.runtime.submit(flow, { id, inputs, labels });
    const execution = await ended;
    stopFollowing();
    stopFollowing = undefined;
    report(execution, progress, options.json === true);
    return execution.state.current === 'SUCCESS' || execution.state.current === 'WARNING' ? 0 : 1;
  } finally {
    stopFollowing?.();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    await setup.close(5_000);
  }
}

/**
 * Refuses input values for ids the flow does not declare (WH_INPUT_INVALID), naming the closest
 * declared id: a misspelt `-i nmae=Ada` would otherwise be dropped and the default used.
 */
function refuseUndeclaredInputs(flow: Flow, raw: Readonly<Record<string, string>>): void {
  const declared = flow.inputs.map((input) => input.id);
  const problems: InputProblem[] = Object.keys(raw)
    .filter((key) => !declared.includes(key))
    .map((key) => {
      const hint =
        didYouMean(key, declared) ||
        (declared.length > 0
          ? ` (its inputs: ${declared.map((id) => `\`${id}\``).join(', ')})`
          : ' (it declares no inputs)');
      return {
        code: ProblemCodes.INPUT_VALUE,
        input: key,
        message: `\`${key}\` is not an input of the flow${hint}`,
      };
    });
  if (problems.length === 0) return;
  const lines = problems.map((p) => `  - ${p.message}`).join('\n');
  throw new WindhoverError(
    ErrorCodes.INPUT_INVALID,
    `Invalid inputs for ${flow.namespace}.${flow.id}:\n${lines}`,
    problems,
  );
}

/** FILE inputs given as local paths are copied into internal storage; the input is the URI. */
async function uploadFileInputs(
  setup: LocalSetup,
  flow: Flow,
  executionId: string,
  raw: Record<string, string>,
): Promise<Record<string, string>> {
  const values = { ...raw };
  for (const input of flow.inputs) {
    const value = values[input.id];
    if (input.type !== 'FILE' || value === undefined || value.startsWith('kestra://')) continue;
    const path = resolve(value);
    if (!existsSync(path))
      throw new WindhoverError(ErrorCodes.INPUT_INVALID, `Input \`${input.id}\`: no such file: ${value}`);
    const uri = setup.runtime.storage.inputFileUri(
      { namespace: flow.namespace, flowId: flow.id, executionId },
      input.id,
      basename(path),
    );
    await setup.runtime.storage.putLocalFile(uri, path);
    values[input.id] = uri;
  }
  return values;
}

function report(execution: Execution, progress: NodeJS.WriteStream, json: boolean): void {
  progress.write('\n');
  for (const line of executionSummaryLines(progress, execution)) progress.write(`${line}\n`);
  if (json) out(JSON.stringify(executionJson(execution), null, 2));
}
