import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { WindhoverError } from '../errors.js';
import { registerFlowValidate } from './commands/flow-validate.js';
import { registerSchema } from './commands/schema.js';
import { registerRun } from './commands/run.js';
import { registerExecutions } from './commands/executions.js';
import { registerServer } from './commands/server.js';
import { registerSys } from './commands/sys.js';
import { registerWorkers } from './commands/workers.js';
import { registerFlowNamespaceUpdate } from './commands/flow-namespace-update.js';
import { registerExecutionsTrigger } from './commands/executions-trigger.js';
import { registerNamespaceKv } from './commands/namespace-kv.js';
import { registerGcpEmulator } from './commands/gcp-emulator.js';
import { err, exitQuietlyOnClosedPipe } from './output.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** Builds the `windhover` command line. */
export function buildProgram(): Command {
  const program = new Command('windhover')
    .description('Windhover: a fast, light workflow orchestrator that runs Kestra flows unchanged.')
    .version(pkg.version)
    .showHelpAfterError()
    .exitOverride();
  const flow = program.command('flow').description('Work with flow files');
  registerFlowValidate(flow);
  registerRun(program, flow);
  registerFlowNamespaceUpdate(flow);
  registerExecutions(program);
  // `executions` is made by registerExecutions (list|show on a data folder); `trigger` talks to a server.
  const executions = program.commands.find((command) => command.name() === 'executions');
  if (executions) registerExecutionsTrigger(executions);
  registerNamespaceKv(program);
  registerSchema(program);
  registerServer(program);
  registerSys(program);
  registerWorkers(program);
  registerGcpEmulator(program);
  return program;
}

/** Runs the CLI; errors a user can act on print their message and exit non-zero, never a stack. */
export async function main(argv: readonly string[]): Promise<void> {
  exitQuietlyOnClosedPipe();
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    if (error instanceof WindhoverError) {
      err(`windhover: ${error.message} [${error.code}]`);
      process.exitCode = 2;
      return;
    }
    err(
      `windhover: internal error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exitCode = 70;
  }
}
