#!/usr/bin/env node
/**
 * TEST DOUBLE of the dbt CLI: dbt cannot be installed on this machine (no Python package
 * index), so the dbt task tests run this instead, on PATH as `dbt`. It behaves like dbt-core
 * 1.8 with a make-believe adapter where the tests look:
 * - finds `dbt_project.yml` (`--project-dir`, DBT_PROJECT_DIR, the current directory) and
 *   `profiles.yml` (`--profiles-dir`, DBT_PROFILES_DIR, the current directory, ~/.dbt), in
 *   dbt's documented order, and fails with exit code 2 as dbt does when either is missing;
 * - reads models (`models/**.sql`), seeds (`seeds/*.csv`) and singular tests (`tests/*.sql`),
 *   their `ref()`s, and writes `target/manifest.json` (schema v12) and
 *   `target/run_results.json` (schema v6) in dbt's documented shapes;
 * - logs as dbt does: structured JSON lines with `--log-format json`, text otherwise;
 * - `--state DIR` reads DIR/manifest.json (before writing its own) and `state:modified` selects
 *   nodes whose checksum changed; it logs which manifest it compared with, for the tests;
 * - exits 1 when a node errors or a test fails.
 * No database is touched: what a node does comes from `-- fake-dbt:` comments in its SQL:
 * `error <text>` (a database error), `error-with-dsn` (an error quoting the connection's
 * password, as careless adapters do), `rows <n>` (rows affected), `fail <n>` / `warn <n>`
 * (failing rows of a test), `sleep <seconds>` (a long query).
 */
import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

const DBT_VERSION = '1.8.7';
const invocationId = randomUUID();
const startedAt = new Date();

// ---- arguments ----
const VALUE_FLAGS = new Set([
  '--project-dir',
  '--profiles-dir',
  '--log-format',
  '--log-path',
  '--state',
  '--target',
  '-t',
  '--threads',
  '--selector',
  '--target-path',
  '--vars',
  '--profile',
]);
const LIST_FLAGS = {
  '--select': 'select',
  '-s': 'select',
  '--models': 'select',
  '-m': 'select',
  '--exclude': 'exclude',
};
const options = {};
const lists = { select: [], exclude: [] };
const switches = new Set();
let command;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  let arg = argv[i];
  if (arg.startsWith('--') && arg.includes('=')) {
    const at = arg.indexOf('=');
    options[arg.slice(0, at)] = arg.slice(at + 1);
    continue;
  }
  if (VALUE_FLAGS.has(arg)) options[arg] = argv[++i];
  else if (arg in LIST_FLAGS) {
    const list = lists[LIST_FLAGS[arg]];
    while (i + 1 < argv.length && !argv[i + 1].startsWith('-')) list.push(...argv[++i].split(/\s+/));
  } else if (arg.startsWith('-')) switches.add(arg);
  else if (command === undefined) command = arg;
}
const target = options['--target'] ?? options['-t'];
const jsonLogs = (options['--log-format'] ?? 'default') === 'json';
const logPath = resolve(options['--log-path'] ?? 'logs');

// ---- logging, as dbt's structured logs (`{"data": …, "info": {…}}`) or text lines ----
function log(level, name, code, msg, data = {}) {
  const ts = new Date().toISOString();
  if (jsonLogs)
    console.log(
      JSON.stringify({
        data,
        info: {
          category: '',
          code,
          extra: {},
          invocation_id: invocationId,
          level,
          msg,
          name,
          pid: process.pid,
          thread: 'MainThread',
          ts,
        },
      }),
    );
  else console.log(`${ts.slice(11, 19)}  ${msg}`);
  try {
    mkdirSync(logPath, { recursive: true });
    appendFileSync(join(logPath, 'dbt.log'), `${ts} [${level}] ${msg}\n`);
  } catch {
    // The log file is a convenience; dbt carries on without it too.
  }
}

/** Ends like dbt on an error it cannot run past: MainEncounteredError, exit code 2. */
function fatal(message) {
  log('error', 'MainEncounteredError', 'Z002', `Encountered an error:\n${message}`, { exc: message });
  process.exit(2);
}

log('info', 'MainReportVersion', 'A001', `Running with dbt=${DBT_VERSION}`, {
  version: `=${DBT_VERSION}`,
  log_version: 3,
});
if (command === undefined) {
  console.error('Usage: dbt [OPTIONS] COMMAND [ARGS]...');
  process.exit(2);
}

// ---- the project ----
const projectDir = resolve(options['--project-dir'] ?? process.env.DBT_PROJECT_DIR ?? '.');
const projectFile = join(projectDir, 'dbt_project.yml');
if (!existsSync(projectFile))
  fatal(
    `Runtime Error\n  No dbt_project.yml found at expected path ${projectFile}\n  Verify that each entry within packages.yml (and their transitive dependencies) contains a file named dbt_project.yml`,
  );
const project = parseYaml(renderEnvVars(readFileSync(projectFile, 'utf8'))) ?? {};
const projectName = String(project.name ?? 'my_project');

if (command === 'deps') {
  const packagesFile = ['packages.yml', 'dependencies.yml'].map((f) => join(projectDir, f)).find(existsSync);
  const packages = packagesFile ? (parseYaml(readFileSync(packagesFile, 'utf8'))?.packages ?? []) : [];
  if (packages.length === 0)
    log('info', 'DepsNoPackagesFound', 'M013', 'Warning: No packages were found in packages.yml');
  mkdirSync(join(projectDir, 'dbt_packages'), { recursive: true });
  for (const pkg of packages) {
    const name = pkg.package ?? pkg.git ?? pkg.local ?? 'unknown';
    log('info', 'DepsStartPackageInstall', 'M014', `Installing ${name}`, { package_name: name });
    log('info', 'DepsInstallInfo', 'M015', `Installed from version ${pkg.version ?? 'unknown'}`, {
      version_name: String(pkg.version ?? ''),
    });
  }
  process.exit(0);
}

// ---- the profile, found where dbt looks for profiles.yml ----
const profilesDir = resolve(
  options['--profiles-dir'] ??
    process.env.DBT_PROFILES_DIR ??
    (existsSync('profiles.yml') ? '.' : join(homedir(), '.dbt')),
);
const profileName = String(options['--profile'] ?? project.profile ?? projectName);
const profilesFile = join(profilesDir, 'profiles.yml');
const profiles = existsSync(profilesFile)
  ? (parseYaml(renderEnvVars(readFileSync(profilesFile, 'utf8'))) ?? {})
  : {};
const profile = profiles[profileName];
if (!profile) fatal(`Runtime Error\n  Could not find profile named '${profileName}'`);
const targetName = String(target ?? profile.target ?? 'default');
const connection = profile.outputs?.[targetName];
if (!connection)
  fatal(`Runtime Error\n  The profile '${profileName}' does not have a target named '${targetName}'.`);
log('info', 'ProfilesDir', 'A002', `Using profiles.yml file at ${profilesFile}`);

if (command === 'debug') {
  log('info', 'DebugCmdOut', 'Z047', `Using dbt_project.yml file at ${projectFile}`);
  log('info', 'DebugCmdOut', 'Z047', `adapter type: ${connection.type}`);
  for (const key of ['host', 'port', 'user', 'dbname', 'schema'])
    if (connection[key] !== undefined) log('info', 'DebugCmdOut', 'Z047', `  ${key}: ${connection[key]}`);
  log('info', 'DebugCmdOut', 'Z047', '  Connection test: [OK connection ok]');
  log('info', 'DebugCmdResult', 'Z048', 'All checks passed!');
  process.exit(0);
}

// ---- the nodes of the project ----
const nodes = new Map();
function addNode(resourceType, path, raw) {
  const name = basename(path).replace(/\.(sql|csv)$/, '');
  const uniqueId = `${resourceType}.${projectName}.${name}`;
  const refs = [...raw.matchAll(/ref\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]);
  const materialized =
    /config\([^)]*materialized\s*=\s*['"](\w+)['"]/.exec(raw)?.[1] ??
    (resourceType === 'model'
      ? String(project.models?.[projectName]?.['+materialized'] ?? 'view')
      : resourceType);
  nodes.set(uniqueId, {
    uniqueId,
    name,
    resourceType,
    path: relative(projectDir, path),
    raw,
    refs,
    materialized,
  });
}
function walk(dir, extension, into = []) {
  if (!existsSync(dir)) return into;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, extension, into);
    else if (entry.name.endsWith(extension)) into.push(path);
  }
  return into.sort();
}
for (const dir of project['seed-paths'] ?? ['seeds'])
  for (const path of walk(join(projectDir, dir), '.csv')) addNode('seed', path, readFileSync(path, 'utf8'));
for (const dir of project['model-paths'] ?? ['models'])
  for (const path of walk(join(projectDir, dir), '.sql')) addNode('model', path, readFileSync(path, 'utf8'));
for (const dir of project['test-paths'] ?? ['tests'])
  for (const path of walk(join(projectDir, dir), '.sql')) addNode('test', path, readFileSync(path, 'utf8'));
const byName = new Map([...nodes.values()].map((n) => [n.name, n]));
for (const node of nodes.values())
  node.parents = node.refs.map((r) => byName.get(r)?.uniqueId).filter(Boolean);
const checksum = (node) => createHash('sha256').update(node.raw).digest('hex');

// ---- the state to compare with: read before this run writes its own manifest ----
let stateManifest;
if (options['--state'] !== undefined) {
  const stateFile = join(resolve(options['--state']), 'manifest.json');
  if (existsSync(stateFile)) {
    stateManifest = JSON.parse(readFileSync(stateFile, 'utf8'));
    log(
      'info',
      'Note',
      'Z050',
      `[fake-dbt test double] --state ${options['--state']}: comparing with the manifest of invocation ${stateManifest.metadata?.invocation_id}`,
    );
  }
}

// ---- the manifest (schema v12), written after parsing as dbt does ----
const targetPath = resolve(projectDir, options['--target-path'] ?? project['target-path'] ?? 'target');
mkdirSync(targetPath, { recursive: true });
const schemaName = String(connection.schema ?? connection.dataset ?? 'public');
const database = String(connection.dbname ?? connection.database ?? connection.project ?? 'db');
const manifestNode = (node) => ({
  database,
  schema: schemaName,
  name: node.name,
  resource_type: node.resourceType,
  package_name: projectName,
  path: node.path,
  original_file_path: node.path,
  unique_id: node.uniqueId,
  fqn: [
    projectName,
    ...node.path
      .replace(/\.(sql|csv)$/, '')
      .split('/')
      .slice(1),
  ],
  alias: node.name,
  checksum: { name: 'sha256', checksum: checksum(node) },
  config: { enabled: true, materialized: node.materialized, tags: [], meta: {} },
  tags: [],
  description: '',
  columns: {},
  meta: {},
  group: null,
  docs: { show: true, node_color: null },
  patch_path: null,
  build_path: null,
  unrendered_config: {},
  created_at: startedAt.getTime() / 1000,
  relation_name: node.resourceType === 'test' ? null : `"${database}"."${schemaName}"."${node.name}"`,
  raw_code: node.raw,
  language: 'sql',
  refs: node.refs.map((name) => ({ name, package: null, version: null })),
  sources: [],
  metrics: [],
  depends_on: { macros: [], nodes: node.parents },
  compiled_path: null,
});
const parentMap = {};
const childMap = {};
for (const node of nodes.values()) {
  parentMap[node.uniqueId] = node.parents;
  childMap[node.uniqueId] = [...nodes.values()]
    .filter((n) => n.parents.includes(node.uniqueId))
    .map((n) => n.uniqueId);
}
const metadata = (schema) => ({
  dbt_schema_version: `https://schemas.getdbt.com/dbt/${schema}.json`,
  dbt_version: DBT_VERSION,
  generated_at: new Date().toISOString(),
  invocation_id: invocationId,
  env: {},
});
writeFileSync(
  join(targetPath, 'manifest.json'),
  JSON.stringify({
    metadata: {
      ...metadata('manifest/v12'),
      project_name: projectName,
      adapter_type: connection.type,
      send_anonymous_usage_stats: false,
    },
    nodes: Object.fromEntries([...nodes.values()].map((n) => [n.uniqueId, manifestNode(n)])),
    sources: {},
    macros: {},
    docs: {},
    exposures: {},
    metrics: {},
    groups: {},
    selectors: {},
    disabled: {},
    parent_map: parentMap,
    child_map: childMap,
    group_map: {},
    saved_queries: {},
    semantic_models: {},
    unit_tests: {},
  }),
);

// ---- what to run ----
const TYPES = {
  build: ['seed', 'model', 'test'],
  run: ['model'],
  test: ['test'],
  seed: ['seed'],
  compile: ['model'],
};
if (!(command in TYPES)) fatal(`Runtime Error\n  fake-dbt does not know the command '${command}'`);
const usesState = [...lists.select, ...lists.exclude].some((s) => s.startsWith('state:'));
if (usesState && !stateManifest)
  fatal('Runtime Error\n  Got a state selector method, but no comparison manifest');
function matches(selector) {
  const down = selector.endsWith('+');
  const core = selector.replace(/^\+|\+$/g, '');
  let hit;
  if (core === 'state:modified')
    hit = [...nodes.values()].filter(
      (n) => stateManifest.nodes?.[n.uniqueId]?.checksum?.checksum !== checksum(n),
    );
  else hit = [...nodes.values()].filter((n) => n.name === core || n.uniqueId === core);
  const ids = new Set(hit.map((n) => n.uniqueId));
  if (down)
    for (let grew = true; grew;) {
      grew = false;
      for (const n of nodes.values())
        if (!ids.has(n.uniqueId) && n.parents.some((p) => ids.has(p)))
          grew = ids.add(n.uniqueId) !== undefined;
    }
  return ids;
}
let selected = [...nodes.values()].filter((n) => TYPES[command].includes(n.resourceType));
if (lists.select.length > 0) {
  const ids = new Set(lists.select.flatMap((s) => [...matches(s)]));
  selected = selected.filter((n) => ids.has(n.uniqueId));
}
for (const s of lists.exclude) {
  const ids = matches(s);
  selected = selected.filter((n) => !ids.has(n.uniqueId));
}
// Parents first (seeds, then models in ref order, then tests), as dbt's graph does.
const ordered = [];
const visit = (node) => {
  if (ordered.includes(node)) return;
  for (const p of node.parents) if (selected.includes(nodes.get(p))) visit(nodes.get(p));
  ordered.push(node);
};
for (const type of ['seed', 'model', 'test']) for (const n of selected) if (n.resourceType === type) visit(n);

// ---- running ----
const marker = (node, word) => new RegExp(`--\\s*fake-dbt:\\s*${word}(?:[ \\t]+([^\\n]*))?`).exec(node.raw);
const results = [];
const failedIds = new Set();
const total = ordered.length;
if (total === 0)
  log(
    'warn',
    'NothingToDo',
    'Q035',
    'Nothing to do. Try checking your model configs and model specification args',
  );
ordered.forEach((node, index) => {
  const started = new Date();
  const label =
    node.resourceType === 'test'
      ? `test ${node.name}`
      : node.resourceType === 'seed'
        ? `seed file ${schemaName}.${node.name}`
        : `sql ${node.materialized} model ${schemaName}.${node.name}`;
  const counter = `${index + 1} of ${total}`;
  let status;
  let message;
  let failures = null;
  let adapter = {};
  const blockedBy = node.parents.find((p) => failedIds.has(p));
  if (blockedBy || (switches.has('--fail-fast') && failedIds.size > 0)) {
    status = 'skipped';
    failedIds.add(node.uniqueId);
    log(
      'info',
      'LogSkipBecauseError',
      'Z033',
      `${counter} SKIP relation ${schemaName}.${node.name} due to ephemeral model status`,
    );
  } else {
    log('info', 'LogStartLine', 'Q011', `${counter} START ${label} ${'.'.repeat(20)} [RUN]`);
    const sleep = Number(marker(node, 'sleep')?.[1] ?? 0);
    if (sleep > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, sleep * 1000);
    const errorText = marker(node, 'error-with-dsn')
      ? `connection to server failed: postgresql://${connection.user}:${connection.password}@${connection.host}:${connection.port}/${connection.dbname}`
      : marker(node, 'error')?.[1];
    if (errorText !== undefined) {
      status = 'error';
      message = `Database Error in ${node.resourceType} ${node.name} (${node.path})\n  ${errorText}`;
      failedIds.add(node.uniqueId);
    } else if (node.resourceType === 'test') {
      const fail = marker(node, 'fail');
      const warn = marker(node, 'warn');
      failures = Number(fail?.[1] ?? warn?.[1] ?? 0);
      status = fail ? 'fail' : warn ? 'warn' : 'pass';
      message =
        status === 'pass'
          ? null
          : `Got ${failures} result${failures === 1 ? '' : 's'}, configured to ${status} if != 0`;
      if (fail) failedIds.add(node.uniqueId);
    } else if (command === 'compile') {
      status = 'success';
    } else {
      const rows =
        node.resourceType === 'seed'
          ? node.raw.trim().split('\n').length - 1
          : Number(marker(node, 'rows')?.[1] ?? (node.materialized === 'view' ? -1 : 0));
      const code =
        node.resourceType === 'seed' ? 'INSERT' : node.materialized === 'view' ? 'CREATE VIEW' : 'SELECT';
      status = 'success';
      adapter = { _message: `${code}${rows >= 0 ? ` ${rows}` : ''}`, code, rows_affected: rows };
      message = adapter._message;
    }
  }
  const completed = new Date();
  const executionTime = (completed - started) / 1000;
  if (status !== 'skipped') {
    const word = {
      success: 'OK',
      error: 'ERROR',
      pass: 'PASS',
      fail: `FAIL ${failures}`,
      warn: `WARN ${failures}`,
    }[status];
    const level = status === 'error' || status === 'fail' ? 'error' : status === 'warn' ? 'warn' : 'info';
    const [name, code] =
      node.resourceType === 'test' ? ['LogTestResult', 'Q007'] : ['LogModelResult', 'Q012'];
    const what =
      node.resourceType === 'test' ? node.name : `${status === 'error' ? 'creating' : 'created'} ${label}`;
    const outcome = status === 'error' ? 'ERROR' : (adapter._message ?? word);
    log(
      level,
      name,
      code,
      `${counter} ${word} ${what} ${'.'.repeat(20)} [${outcome} in ${executionTime.toFixed(2)}s]`,
      {
        node_info: { unique_id: node.uniqueId, node_status: status, resource_type: node.resourceType },
        status: word,
        execution_time: executionTime,
        index: index + 1,
        total,
      },
    );
  }
  const timing = [
    { name: 'compile', started_at: started.toISOString(), completed_at: started.toISOString() },
    { name: 'execute', started_at: started.toISOString(), completed_at: completed.toISOString() },
  ];
  results.push({
    status,
    timing: status === 'skipped' ? [] : timing,
    thread_id: 'Thread-1 (worker)',
    execution_time: executionTime,
    adapter_response: adapter,
    message: message ?? null,
    failures,
    unique_id: node.uniqueId,
    compiled: status !== 'skipped',
    compiled_code: status === 'skipped' ? null : node.raw,
    relation_name: node.resourceType === 'test' ? null : `"${database}"."${schemaName}"."${node.name}"`,
    batch_results: null,
  });
});

const elapsed = (Date.now() - startedAt.getTime()) / 1000;
writeFileSync(
  join(targetPath, 'run_results.json'),
  JSON.stringify({
    metadata: metadata('run-results/v6'),
    results,
    elapsed_time: elapsed,
    args: {
      which: command,
      invocation_command: `dbt ${argv.join(' ')}`,
      select: lists.select,
      exclude: lists.exclude,
      ...(options['--state'] ? { state: options['--state'] } : {}),
    },
  }),
);

const count = (...statuses) => results.filter((r) => statuses.includes(r.status)).length;
const stats = {
  error: count('error', 'fail'),
  pass: count('success', 'pass'),
  skip: count('skipped'),
  total,
  warn: count('warn'),
};
log(
  'info',
  'FinishedRunningStats',
  'Q002',
  `Finished running ${total} nodes in 0 hours 0 minutes and ${elapsed.toFixed(2)} seconds (${elapsed.toFixed(2)}s).`,
);
if (stats.error > 0) {
  log(
    'error',
    'EndOfRunSummary',
    'Z030',
    `Completed with ${stats.error} error${stats.error === 1 ? '' : 's'}, 0 partial successes, and ${stats.warn} warnings:`,
  );
  for (const r of results)
    if (r.status === 'error' || r.status === 'fail') log('error', 'RunResultError', 'Z024', `  ${r.message}`);
} else log('info', 'EndOfRunSummary', 'Z030', 'Completed successfully');
log(
  'info',
  'StatsLine',
  'Z023',
  `Done. PASS=${stats.pass} WARN=${stats.warn} ERROR=${stats.error} SKIP=${stats.skip} NO-OP=0 TOTAL=${total}`,
  { stats },
);
process.exit(stats.error > 0 || (switches.has('--warn-error') && stats.warn > 0) ? 1 : 0);

/** dbt's `{{ env_var('NAME') }}` and `{{ env_var('NAME', 'default') }}` in YAML files. */
function renderEnvVars(text) {
  return text.replace(
    /\{\{\s*env_var\(\s*['"]([^'"]+)['"]\s*(?:,\s*['"]([^'"]*)['"]\s*)?\)\s*\}\}/g,
    (_, name, fallback) => {
      const value = process.env[name] ?? fallback;
      if (value === undefined) fatal(`Parsing Error\n  Env var required but not provided: '${name}'`);
      return value;
    },
  );
}
