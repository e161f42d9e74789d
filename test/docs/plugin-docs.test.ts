import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderPluginDocs } from '../../scripts/plugin-docs.js';
import { PLUGINS } from '../../src/plugins/registry.js';
import { errorsOf } from '../helpers.js';

describe('plugin reference docs', () => {
  it('docs/plugins/ is what `npm run docs:plugins` generates from the definitions', () => {
    for (const [file, text] of renderPluginDocs()) {
      expect(
        readFileSync(`docs/plugins/${file}`, 'utf8'),
        `docs/plugins/${file} is stale: run npm run docs:plugins`,
      ).toBe(text);
    }
  });
});

describe('every plugin definition', () => {
  it.each(PLUGINS.map((def) => [def.type, def] as const))(
    '%s has a title, a description and a valid example',
    (_type, def) => {
      expect(def.title.length).toBeGreaterThan(3);
      expect(def.description.length).toBeGreaterThan(10);
      expect(def.examples?.length ?? 0).toBeGreaterThan(0);
      for (const example of def.examples ?? []) {
        const code = example.code.trimEnd();
        const text = code.startsWith('id:') ? code : wrap(def.kind, code);
        expect(errorsOf(text), `${def.type}: ${example.title}`).toEqual([]);
      }
    },
  );
});

/** A task, trigger, condition or runner example placed into a minimal flow. */
function wrap(kind: string, code: string): string {
  const indent = (text: string, by: string) =>
    text
      .split('\n')
      .map((line) => (line ? by + line : line))
      .join('\n');
  const head = 'id: example\nnamespace: company.team\n';
  const log = '  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n';
  const item = code.startsWith('- ') ? code : `- ${indent(code, '  ').trimStart()}`;
  switch (kind) {
    case 'trigger':
      return `${head}tasks:\n${log}triggers:\n${indent(item, '  ')}\n`;
    case 'condition':
      return `${head}tasks:\n${log}triggers:\n  - id: t\n    type: io.kestra.plugin.core.trigger.Flow\n    conditions:\n${indent(item, '      ')}\n`;
    case 'runner':
      return `${head}tasks:\n  - id: s\n    type: io.kestra.plugin.scripts.shell.Commands\n    commands: [echo hi]\n    taskRunner:\n${indent(code.replace(/^- /, ''), '      ')}\n`;
    default:
      return `${head}tasks:\n${indent(item, '  ')}\n`;
  }
}
