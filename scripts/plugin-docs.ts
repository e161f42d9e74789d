/**
 * Generates docs/plugins/*.md from the plugin definitions, so the reference never drifts from
 * the code. `npm run docs:plugins` writes the files; test/docs/plugin-docs.test.ts fails when
 * they are out of date.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PluginDefinition } from '../src/flow/catalog.js';
import { commonPropsFor } from '../src/flow/schema/common.js';
import { deprecationAdvice } from '../src/flow/validate-plugin.js';
import type { Prop } from '../src/flow/schema/prop.js';
import { PLUGINS } from '../src/plugins/registry.js';
import type { TaskPlugin } from '../src/plugins/api.js';
import { isOrchestrated } from '../src/engine/executor/flow-index.js';

interface Page {
  file: string;
  title: string;
  intro: string;
  plugins: PluginDefinition[];
}

/** Which page a plugin is documented on. */
function pageOf(def: PluginDefinition): string {
  if (def.kind !== 'task') return def.type.includes('.scripts.') ? 'scripts' : 'triggers';
  const family = /^io\.kestra\.plugin\.([a-z]+)\./.exec(def.type)?.[1] ?? 'core';
  return family === 'databases' ? 'jdbc' : family;
}

const PAGES: Array<Omit<Page, 'plugins'>> = [
  {
    file: 'core',
    title: 'Core tasks',
    intro:
      'Logging, outputs, flowable tasks (branches, loops, subflows), KV, HTTP, storage and namespace files.',
  },
  {
    file: 'scripts',
    title: 'Script tasks and task runners',
    intro: 'Python, shell and Node.js scripts, and the task runners that run them.',
  },
  {
    file: 'jdbc',
    title: 'Database tasks',
    intro: "PostgreSQL, MySQL, SQLite and DuckDB, and the course notes' `databases.sql.Query`.",
  },
  {
    file: 'gcp',
    title: 'Google Cloud tasks',
    intro: 'Cloud Storage and BigQuery. Course-notes names are listed as aliases (see ../course-aliases.md).',
  },
  { file: 'notifications', title: 'Notifications', intro: 'Slack messages.' },
  {
    file: 'dbt',
    title: 'dbt tasks',
    intro: 'dbt commands with profiles, run results and manifests (see ../plugins-dbt.md for how they run).',
  },
  {
    file: 'git',
    title: 'Git tasks',
    intro:
      'Clone a repository, sync namespace files and flows from Git, push them to Git (see ../plugins-git.md).',
  },
  {
    file: 'ai',
    title: 'AI tasks',
    intro:
      'Chat completion and retrieval augmented generation (RAG) with Google Gemini, OpenAI (and OpenAI-compatible servers) and Anthropic; see [plugins-ai.md](../plugins-ai.md) for the guide.',
  },
  {
    file: 'triggers',
    title: 'Triggers and conditions',
    intro: 'What starts executions: schedules, webhooks, other flows; and the conditions they take.',
  },
];

/** A short type description of a property, e.g. `list of string`, `one of A, B`. */
export function typeOf(prop: Prop): string {
  const { info } = prop;
  switch (info.kind) {
    case 'enum':
      return `one of ${(info.values ?? []).map((v) => `\`${v}\``).join(', ')}`;
    case 'list':
      return `list of ${info.item ? typeOf(info.item) : 'values'}`;
    case 'map':
      return info.item && info.item.info.kind !== 'any' ? `map of ${typeOf(info.item)}` : 'map';
    case 'object':
      return `object (${Object.keys(info.shape ?? {})
        .map((k) => `\`${k}\``)
        .join(', ')})`;
    case 'variant':
      return `object, by \`${info.discriminator ?? 'type'}\`: ${Object.keys(info.variants ?? {}).join(', ')}`;
    case 'union':
      return (info.options ?? []).map(typeOf).join(' or ');
    case 'tasks':
      return 'list of tasks';
    case 'taskMap':
      return 'map of task lists';
    case 'dagTasks':
      return 'list of `{task, dependsOn}`';
    case 'plugin':
      return info.pluginKind ?? 'plugin';
    case 'pluginList':
      return `list of ${info.pluginKind ?? 'plugin'}s`;
    case 'pluginMap':
      return `map of ${info.pluginKind ?? 'plugin'}s`;
    case 'any':
      return 'any';
    default:
      return info.kind;
  }
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n+/g, ' ').trim();
}

function propertyTable(properties: Record<string, Prop>, names: readonly string[]): string {
  if (names.length === 0) return 'No properties of its own.\n';
  const rows = names.map((name) => {
    const { info } = properties[name]!;
    const notes = [
      info.description ?? '',
      info.aliasOf ? `Course-notes name; maps onto \`${info.aliasOf}\`.` : '',
      info.deprecated
        ? `Deprecated: ${/^[A-Za-z_][\w.]*$/.test(info.deprecated) ? `use \`${info.deprecated}\`` : info.deprecated}.`
        : '',
    ]
      .filter(Boolean)
      .join(' ');
    const def = info.default === undefined ? '' : `\`${JSON.stringify(info.default)}\``;
    return `| \`${name}\` | ${cell(typeOf(properties[name]!))} | ${info.required ? 'yes' : ''} | ${def} | ${info.dynamic ? 'yes' : ''} | ${cell(notes)} |`;
  });
  return [
    '| property | type | required | default | dynamic | description |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

function pluginSection(def: PluginDefinition): string {
  const parts = [`## ${def.type}`, '', `**${def.title}.** ${def.description.trim()}`, ''];
  const kind =
    def.kind === 'task' && def.flowable ? 'flowable task' : def.kind === 'runner' ? 'task runner' : def.kind;
  parts.push(`Kind: ${kind}.`);
  const task = def as TaskPlugin;
  if (def.deprecated !== undefined)
    parts.push(
      '',
      `> Deprecated by Kestra: ${deprecationAdvice(def.deprecated)}. Accepted, with a warning.`,
      '',
    );
  // A deprecated type either runs or is turned into its replacement (EachSequential → ForEach).
  if (
    def.kind === 'task' &&
    !task.run &&
    !task.resolve &&
    !isOrchestrated(def.type) &&
    def.deprecated === undefined
  )
    parts.push(
      '',
      '> Not run yet: flows using it validate, but the task fails with "cannot run in Windhover yet".',
      '',
    );
  if (def.aliases.length > 0) parts.push(`Also written: ${def.aliases.map((a) => `\`${a}\``).join(', ')}.`);
  if (def.legacyNames.length > 0)
    parts.push(
      `Old Kestra names (accepted, with a warning): ${def.legacyNames.map((a) => `\`${a}\``).join(', ')}.`,
    );
  parts.push('', propertyTable(def.properties, def.ownProperties));
  const outputs = Object.entries(def.outputs ?? {});
  if (outputs.length > 0) {
    parts.push('Outputs:', '', '| output | type | description |', '| --- | --- | --- |');
    for (const [name, doc] of outputs)
      parts.push(`| \`${name}\` | ${cell(doc.type)} | ${cell(doc.description)} |`);
    parts.push('');
  }
  for (const example of def.examples ?? []) {
    parts.push(`Example: ${example.title}`, '', '```yaml', example.code.trimEnd(), '```', '');
  }
  return parts.join('\n');
}

/** The generated pages, by file name (relative to docs/plugins/). */
export function renderPluginDocs(): Map<string, string> {
  const out = new Map<string, string>();
  for (const page of PAGES) {
    const plugins = PLUGINS.filter((def) => pageOf(def) === page.file).sort((a, b) =>
      a.type.localeCompare(b.type),
    );
    const index = plugins
      .map((def) => `- [${def.type}](#${def.type.replace(/\./g, '').toLowerCase()})`)
      .join('\n');
    const body = plugins.map(pluginSection).join('\n');
    out.set(
      `${page.file}.md`,
      `<!-- Generated by \`npm run docs:plugins\` from the plugin definitions; do not edit. -->\n# ${page.title}\n\n${page.intro}\nProperties common to every task or trigger are listed in [README.md](README.md).\n\n${index}\n\n${body}`,
    );
  }
  const common = (kind: 'task' | 'trigger', flowable = false) => {
    const props = commonPropsFor(kind, flowable);
    return propertyTable(props, Object.keys(props));
  };
  out.set(
    'README.md',
    [
      '<!-- Generated by `npm run docs:plugins` from the plugin definitions; do not edit. -->',
      '# Plugin reference',
      '',
      `Windhover knows ${PLUGINS.length} plugin types. Each page lists a plugin's own properties;`,
      'the properties below are common to every task or trigger. A property marked *dynamic* is',
      'rendered with expressions (`{{ … }}`) before the plugin runs.',
      '',
      ...PAGES.map((p) => `- [${p.title}](${p.file}.md)`),
      '',
      '## Properties of every task',
      '',
      common('task'),
      'Flowable tasks (those that hold tasks) also take `errors` and `finally`, lists of tasks run',
      'when a task inside fails and at the end whatever the state.',
      '',
      '## Properties of every trigger',
      '',
      common('trigger'),
    ].join('\n'),
  );
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [file, text] of renderPluginDocs())
    writeFileSync(new URL(`../docs/plugins/${file}`, import.meta.url), text);
  console.log('docs/plugins written');
}
