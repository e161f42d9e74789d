import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { out } from '../output.js';

/** `windhover schema flow`: the JSON Schema of a flow, for editors. */
export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('Print JSON Schemas')
    .command('flow')
    .description(
      'The JSON Schema of a flow, for editors (e.g. VS Code YAML: `# yaml-language-server: $schema=…`)',
    )
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (options: { output?: string }) => {
      // Every plugin is in the schema: imported here, not when the command line is parsed.
      const { flowJsonSchema } = await import('../../flow/json-schema.js');
      const { catalog } = await import('../../plugins/registry.js');
      const text = `${JSON.stringify(flowJsonSchema(catalog), null, 2)}\n`;
      if (options.output) await writeFile(options.output, text);
      else out(text.trimEnd());
    });
}
