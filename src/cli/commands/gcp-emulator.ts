/**
 * `windhover gcp-emulator`: runs the local Cloud Storage + BigQuery emulator
 * (src/emulators/gcp/) in the foreground until SIGINT/SIGTERM, and prints the environment lines
 * that point Windhover's GCP tasks and Google's own clients at it.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ErrorCodes, WindhoverError } from '../../errors.js';
import { err, out } from '../output.js';

interface GcpEmulatorCommandOptions {
  host: string;
  port: string;
  data?: string;
  project?: string;
  verbose?: boolean;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

/** The emulator's data folder: `--data`, else `gcp-emulator/` in Windhover's data folder. */
export function emulatorDataDir(data: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (data !== undefined && data !== '') return resolve(data);
  return resolve(env.WINDHOVER_DATA || 'data', 'gcp-emulator');
}

function parsePort(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) {
    throw new WindhoverError(
      ErrorCodes.USAGE,
      `--port must be a number from 0 to 65535, not ${JSON.stringify(value)}`,
    );
  }
  return Number(value);
}

/** Registers `windhover gcp-emulator`. */
export function registerGcpEmulator(program: Command): void {
  program
    .command('gcp-emulator')
    .description(
      'Run a local emulator of Google Cloud Storage and BigQuery (with an OAuth2 token endpoint) on one port, for learning, development and tests.',
    )
    .option('--host <host>', 'the address to listen on', '127.0.0.1')
    .option('-p, --port <port>', 'the port, 0 for any free one', '4443')
    .option(
      '-d, --data <dir>',
      'the folder of its buckets, objects and tables [default <data>/gcp-emulator, <data> being WINDHOVER_DATA or ./data]',
    )
    .option('--project <id>', 'the project of buckets created without one', 'windhover-emulator')
    .option('-v, --verbose', 'log every request (default: warnings and errors only)')
    .addHelpText(
      'after',
      `
The emulator is not Google: it has no access control (any token or none is accepted) and is
meant for one user's machine. Point clients at it with STORAGE_EMULATOR_HOST and
BIGQUERY_EMULATOR_HOST (printed at start). See docs/gcp-emulator.md.`,
    )
    .action((options: GcpEmulatorCommandOptions) => runEmulator(options));
}

async function runEmulator(options: GcpEmulatorCommandOptions): Promise<void> {
  const port = parsePort(options.port);
  const dataDir = emulatorDataDir(options.data);
  // Loaded here, not at the top: other commands should not pay for Fastify and SQLite.
  const { startGcpEmulator } = await import('../../emulators/gcp/server.js');
  let emulator: Awaited<ReturnType<typeof startGcpEmulator>>;
  try {
    emulator = await startGcpEmulator({
      host: options.host,
      port,
      dataDir,
      verbose: options.verbose === true,
      ...(options.project !== undefined ? { defaultProject: options.project } : {}),
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE') {
      throw new WindhoverError(
        ErrorCodes.CONFIG_INVALID,
        `port ${port} on ${options.host} is in use: pick another with --port (0 for any free one)`,
      );
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EACCES') {
      throw new WindhoverError(
        ErrorCodes.CONFIG_INVALID,
        `cannot listen on ${options.host}:${port} (${code})`,
      );
    }
    throw error;
  }
  if (!LOCAL_HOSTS.has(options.host)) {
    err(
      `warning: listening on ${options.host}: anyone who can reach it can read and write its data (it checks no credentials)`,
    );
  }
  out(`GCP emulator listening on ${emulator.url} (data in ${dataDir})`);
  out('Point Windhover tasks and Google clients at it with:');
  out(`  export STORAGE_EMULATOR_HOST=${emulator.url}`);
  out(`  export BIGQUERY_EMULATOR_HOST=${emulator.url}`);
  out('Press Ctrl+C to stop.');

  await new Promise<void>((resolveStop) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      out(`${signal}: stopping the GCP emulator`);
      void emulator.close().then(resolveStop, (error: unknown) => {
        err(
          `windhover: the emulator did not close cleanly: ${error instanceof Error ? error.message : String(error)}`,
        );
        resolveStop();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  out('GCP emulator stopped');
  // Leave now: an idle client socket must not keep a stopped emulator's process alive.
  process.exit(0);
}
