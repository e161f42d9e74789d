/**
 * One conformance case = one YAML file under `cases/<area>/`: a first YAML document saying which
 * Kestra test the case follows and what it expects, then the flow to run, then (optionally) more
 * flows it calls (subflows), deployed before it. See README.md for the fields.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';

/** What a case asserts about the execution of its flow (every field optional). */
export interface CaseExpectation {
  /** The execution's final state. */
  state?: string;
  /** How many task runs the execution has in all (flowable runs and loop iterations included). */
  taskRunCount?: number;
  /** `taskId` → how many runs of that task. */
  taskRuns?: Record<string, number>;
  /** `taskId` (or `taskId[value]` inside loops) → final state. */
  states?: Record<string, string>;
  /** `taskId` (or `taskId[value]`) → a subset of the outputs of its (first) run. */
  outputs?: Record<string, Record<string, unknown>>;
  /** A subset of the execution's flow outputs; `null` for "no outputs at all". */
  flowOutputs?: Record<string, unknown> | null;
  /** A subset of the execution's typed inputs. */
  inputs?: Record<string, unknown>;
  /** Labels (key → value) the execution carries (others may be there too). */
  labels?: Record<string, string>;
  /** Each string is contained in some log line, formatted `LEVEL taskId message`. */
  logs?: string[];
  /** No log line contains any of these strings. */
  logsAbsent?: string[];
  /** Deploying the flow is refused with an error containing this text (nothing runs). */
  deployError?: string;
  /** The inputs are refused at submission with an error containing this text (nothing runs). */
  inputError?: string;
  /**
   * Resuming (see `resume`) is refused with an error containing this text; the other fields
   * are then checked on the execution as it was when refused (still PAUSED), before it is killed.
   */
  resumeError?: string;
  /** The attempts of a task: `taskId` → number of attempts of its (first) run. */
  attempts?: Record<string, number>;
  /** A subset of the execution's trigger (`type`, `variables`…). */
  trigger?: Record<string, unknown>;
  /**
   * `taskId` → what the execution its (first) run started (a Subflow's child, found by its
   * `executionId` output) must be, with the same fields (state, taskRunCount, labels…).
   */
  children?: Record<string, CaseExpectation>;
  /** The execution took at least / at most this many milliseconds (start to end). */
  minDurationMs?: number;
  maxDurationMs?: number;
}

export interface ConformanceCase {
  /** `<area>/<file name>` without `.yaml`. */
  name: string;
  file: string;
  /** The Kestra test this case follows, `ClassName.method` (and optionally the flow file it runs). */
  kestra: string;
  /** What Kestra's test asserts, in our words. */
  asserts: string;
  /** Raw inputs, checked and typed as a form's would be. */
  inputs: Record<string, unknown>;
  /** Labels given at submission. */
  labels: Record<string, string>;
  /** Resume the execution once it is PAUSED, with these raw `onResume` values (typed as the API types them). */
  resume?: { inputs: Record<string, unknown> };
  expect: CaseExpectation;
  /** Set while the behaviour differs from Kestra's: the case is expected to fail until the fix lands. */
  pendingFix?: string;
  /** How long to wait for the execution to end (default 15 s). */
  timeoutMs: number;
  /** The flow to run, as written. */
  flow: string;
  /** Other flows (subflows), deployed first. */
  extraFlows: string[];
}

const HEADER_KEYS = new Set([
  'kestra',
  'asserts',
  'inputs',
  'labels',
  'resume',
  'expect',
  'pendingFix',
  'timeoutMs',
]);
const EXPECT_KEYS = new Set([
  'state',
  'taskRunCount',
  'taskRuns',
  'states',
  'outputs',
  'flowOutputs',
  'inputs',
  'labels',
  'logs',
  'logsAbsent',
  'deployError',
  'inputError',
  'resumeError',
  'attempts',
  'trigger',
  'children',
  'minDurationMs',
  'maxDurationMs',
]);

/** Splits a multi-document YAML text into its documents' source text (flows stay as written). */
function splitDocuments(text: string): string[] {
  return text
    .split(/^---[ \t]*$/m)
    .map((doc) => doc.trim())
    .filter((doc) => doc.replace(/^#.*$/gm, '').trim() !== '');
}

function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${what} must be a mapping`);
  return value as Record<string, unknown>;
}

/** Reads and checks one case file; a malformed case is an error naming the file. */
export function loadCase(file: string, root: string): ConformanceCase {
  const name = relative(root, file).replace(/\.ya?ml$/, '');
  const [header, flow, ...extraFlows] = splitDocuments(readFileSync(file, 'utf8'));
  if (header === undefined || flow === undefined)
    throw new Error(`${name}: a case needs a header document and a flow document, separated by ---`);
  const meta = asRecord(parse(header), `${name}: the header`);
  for (const key of Object.keys(meta))
    if (!HEADER_KEYS.has(key)) throw new Error(`${name}: unknown header field '${key}'`);
  const expectation = asRecord(meta.expect, `${name}: expect`);
  for (const key of Object.keys(expectation))
    if (!EXPECT_KEYS.has(key)) throw new Error(`${name}: unknown expect field '${key}'`);
  if (typeof meta.kestra !== 'string' || !/Test|flows\//.test(meta.kestra))
    throw new Error(`${name}: 'kestra' must name the Kestra test followed (Class.method, and its flow file)`);
  if (typeof meta.asserts !== 'string') throw new Error(`${name}: 'asserts' must say what is asserted`);
  if (Object.keys(expectation).length === 0) throw new Error(`${name}: 'expect' asserts nothing`);
  const resume = meta.resume === undefined ? undefined : asRecord(meta.resume, `${name}: resume`);
  return {
    name,
    file,
    kestra: meta.kestra,
    asserts: meta.asserts,
    inputs: asRecord(meta.inputs, `${name}: inputs`),
    labels: asRecord(meta.labels, `${name}: labels`) as Record<string, string>,
    ...(resume ? { resume: { inputs: asRecord(resume.inputs, `${name}: resume.inputs`) } } : {}),
    expect: expectation,
    ...(typeof meta.pendingFix === 'string' ? { pendingFix: meta.pendingFix } : {}),
    timeoutMs: typeof meta.timeoutMs === 'number' ? meta.timeoutMs : 15_000,
    flow,
    extraFlows,
  };
}

/** A case file that could not be read: reported as a failing test of its own, not a broken suite. */
export interface BrokenCase {
  name: string;
  error: string;
}

/** Every `*.yaml` case under `root`, sorted by name, and the files that are not valid cases. */
export function loadCases(root: string): { cases: ConformanceCase[]; broken: BrokenCase[] } {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(entry)) files.push(path);
    }
  };
  walk(root);
  const cases: ConformanceCase[] = [];
  const broken: BrokenCase[] = [];
  for (const file of files) {
    try {
      cases.push(loadCase(file, root));
    } catch (error) {
      broken.push({
        name: relative(root, file),
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return { cases: cases.sort((a, b) => a.name.localeCompare(b.name)), broken };
}

/** `namespace.id` of a flow's source (for the uniqueness check across cases). */
export function flowKey(source: string): string {
  const flow = asRecord(parse(source), 'flow');
  return `${String(flow.namespace)}.${String(flow.id)}`;
}
