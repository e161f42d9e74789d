import type { Command } from 'commander';
import type { ConfigLayerInput } from '../../server/config.js';
import type { ROLE_MODES, ServerMode } from '../../server/open-store.js';

interface ServerCommandOptions {
  config?: string;
  data?: string;
  host?: string;
  port?: string;
  flowPath: string[];
  workerConcurrency?: string;
  timezone?: string;
  publicUrl?: string;
  maxBodySize?: string;
  maxUploadSize?: string;
  memory?: string;
  storeUrl?: string;
  storageUrl?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

const CREDENTIALS_HELP = `
Credentials (basic auth on everything but /health, /metrics and webhooks) come from
WINDHOVER_USERNAME and WINDHOVER_PASSWORD, or server.auth in the config file; never from an
option, so they do not show in the process list. Without them the server is open and listens on
127.0.0.1 only: any other --host is refused.

Every option also has an environment variable and a config-file setting (docs/configuration.md);
an option wins over the environment, which wins over the file.`;

/** `windhover server local|standalone`: the whole orchestrator in one process. */
export function registerServer(program: Command): void {
  const server = program
    .command('server')
    .description('Run Windhover as a server (API, scheduler, executor, worker)');
  addServerOptions(
    server
      .command('local')
      .description(
        'Run everything in one process on the embedded store in the data folder (./data): API, scheduler, executor and worker.',
      ),
  )
    .addHelpText('after', CREDENTIALS_HELP)
    .action((options: ServerCommandOptions) => serve('local', options));
  addServerOptions(
    server
      .command('standalone')
      .description('Run everything in one process on an external store (--store-url).'),
  )
    .option(
      '--store-url <url>',
      'the store: sqlite:///path/to/windhover.db or postgres://user@host:5432/db [env WINDHOVER_STORE_URL, store.url]',
    )
    .addHelpText('after', CREDENTIALS_HELP)
    .action((options: ServerCommandOptions) => serve('standalone', options));
  for (const [role, description] of Object.entries(ROLE_DESCRIPTIONS) as Array<[ServerMode, string]>) {
    addServerOptions(server.command(role).description(description))
      .option(
        '--store-url <url>',
        'the shared store: postgres://user@host:5432/db [env WINDHOVER_STORE_URL, store.url]',
      )
      .addHelpText('after', CLUSTER_HELP + (role === 'webserver' ? `\n${CREDENTIALS_HELP}` : ''))
      .action((options: ServerCommandOptions) => serve(role, options));
  }
}

/** The one-role processes of a cluster on PostgreSQL. */
const ROLE_DESCRIPTIONS: Record<(typeof ROLE_MODES)[number], string> = {
  executor:
    'Run an executor: steps executions (any number of them, each execution on one at a time); serves /health and /metrics only.',
  worker: 'Run a worker: runs task runs (--worker-concurrency at once); serves /health and /metrics only.',
  scheduler:
    'Run a scheduler: fires Schedule and Flow triggers (one fires at a time; others stand by); serves /health and /metrics only.',
  webserver: 'Run the API and the web UI (and webhooks); loads flow folders (-f).',
};

const CLUSTER_HELP = `
A cluster is any number of executor, worker, scheduler and webserver processes on one
PostgreSQL database (and, across machines, a shared internal storage: --storage-url). Each process
heartbeats every cluster.heartbeatInterval (WINDHOVER_HEARTBEAT_INTERVAL, default PT2S); one silent
for cluster.memberTimeout (WINDHOVER_MEMBER_TIMEOUT, default PT30S) is dead, and its running task
runs are run again elsewhere. See docs/deploy.md.`;

function addServerOptions(command: Command): Command {
  return command
    .option(
      '-c, --config <file>',
      'the YAML config file [env WINDHOVER_CONFIG; default ./windhover.yml when present]',
    )
    .option(
      '--storage-url <url>',
      'internal storage: postgres://user@host:5432/db, file:///path or a folder [env WINDHOVER_STORAGE_URL, storage.url; default <data>/storage]',
    )
    .option(
      '-d, --data <dir>',
      'the data folder: store of `server local`, files, task working dirs [env WINDHOVER_DATA, data; default ./data]',
    )
    .option(
      '-p, --port <port>',
      'the HTTP port, 0 for any free one [env WINDHOVER_PORT, server.port; default 8080]',
    )
    .option(
      '--host <host>',
      'the address to listen on; other than 127.0.0.1/localhost/::1 only with credentials [env WINDHOVER_HOST, server.host; default 127.0.0.1]',
    )
    .option(
      '-f, --flow-path <dir>',
      'a folder of flows to load at start and keep in sync while files change (repeat for several) [env WINDHOVER_FLOW_PATH, flows.paths]',
      collect,
      [],
    )
    .option(
      '--worker-concurrency <n>',
      'most task runs at once [env WINDHOVER_WORKER_CONCURRENCY, worker.concurrency; default 32]',
    )
    .option(
      '--timezone <zone>',
      'the default time zone, IANA (Europe/Paris) [env WINDHOVER_TIMEZONE, timezone; default the machine’s]',
    )
    .option(
      '--public-url <url>',
      'the address users reach the server at, for links [env WINDHOVER_URL, server.publicUrl]',
    )
    .option(
      '--max-body-size <size>',
      'largest request body, e.g. 10MB [env WINDHOVER_MAX_BODY_SIZE, server.maxBodySize; default 10MiB]',
    )
    .option(
      '--max-upload-size <size>',
      'largest uploaded file, e.g. 1GB [env WINDHOVER_MAX_UPLOAD_SIZE, server.maxUploadSize; default 1GiB]',
    )
    .option(
      '--memory <mode>',
      "how the JavaScript heap grows: lean (close to what it holds) or fast (V8's own sizing) [env WINDHOVER_MEMORY, server.memory; default lean]",
    );
}

/** The settings the options give, in the config's shape (values checked by the config). */
export function optionsLayer(options: ServerCommandOptions): ConfigLayerInput {
  const server = {
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.publicUrl !== undefined ? { publicUrl: options.publicUrl } : {}),
    ...(options.maxBodySize !== undefined ? { maxBodySize: options.maxBodySize } : {}),
    ...(options.maxUploadSize !== undefined ? { maxUploadSize: options.maxUploadSize } : {}),
    // Checked by the config (lean or fast), which names the option in its error.
    ...(options.memory !== undefined ? { memory: options.memory as 'lean' | 'fast' } : {}),
  };
  return {
    ...(Object.keys(server).length ? { server } : {}),
    ...(options.data !== undefined ? { data: options.data } : {}),
    ...(options.storeUrl !== undefined ? { store: { url: options.storeUrl } } : {}),
    ...(options.storageUrl !== undefined ? { storage: { url: options.storageUrl } } : {}),
    ...(options.workerConcurrency !== undefined
      ? { worker: { concurrency: options.workerConcurrency } }
      : {}),
    ...(options.flowPath.length ? { flows: { paths: options.flowPath } } : {}),
    ...(options.timezone !== undefined ? { timezone: options.timezone } : {}),
  };
}

async function serve(mode: ServerMode, options: ServerCommandOptions): Promise<void> {
  // The server (Fastify, the store, the plugins) is imported when it starts, not to parse the command.
  const [{ resolveServerConfig }, { applyMemoryMode }] = await Promise.all([
    import('../../server/config.js'),
    import('../../memory-mode.js'),
  ]);
  const config = resolveServerConfig({
    cli: optionsLayer(options),
    ...(options.config !== undefined ? { configFile: options.config } : {}),
  });
  // Before the server's modules load: the young generation keeps the size it has when this runs.
  applyMemoryMode(config.server.memory);
  const { runServer } = await import('../../server/start.js');
  const code = await runServer(config, mode);
  // Leave now: a plugin's idle connection or timer must not keep a stopped server's process alive.
  process.exit(code);
}
