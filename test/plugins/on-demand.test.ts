import { describe, expect, it } from 'vitest';
import { createCatalog, definePlugin, PluginNotLoadedError } from '../../src/flow/catalog.js';
import type { PluginDefinition } from '../../src/flow/catalog.js';
import { p } from '../../src/flow/schema/prop.js';
import { validateFlowSource } from '../../src/flow/index.js';
import { PLUGINS } from '../../src/plugins/all.js';
import { INTERNAL_TASK_TYPES, internalTaskPlugin } from '../../src/plugins/internal-tasks.js';
import { PLUGIN_MANIFEST } from '../../src/plugins/manifest.js';
import { createOnDemandCatalog, pluginNamesIn, withPluginsFor } from '../../src/plugins/on-demand.js';
import type { PluginManifestEntry } from '../../src/plugins/on-demand.js';

const say = definePlugin('task', {
  type: 'test.Say',
  aliases: ['test.Speak'],
  title: 'Say',
  description: 'test plugin',
  properties: { text: p.string().required() },
});
const wait = definePlugin('task', {
  type: 'test.Wait',
  legacyNames: ['test.old.Wait'],
  title: 'Wait',
  description: 'test plugin',
  properties: {},
});

/** A catalog of the two test plugins that counts the imports of each. */
function testCatalog() {
  const imports: string[] = [];
  const entry = (definition: PluginDefinition): PluginManifestEntry => ({
    kind: definition.kind,
    type: definition.type,
    aliases: definition.aliases,
    legacyNames: definition.legacyNames,
    load: () => {
      imports.push(definition.type);
      return Promise.resolve({ default: definition });
    },
  });
  return { catalog: createOnDemandCatalog([entry(say), entry(wait)]), imports };
}

const FLOW = (type: string) =>
  `id: f\nnamespace: company.team\ntasks:\n  - id: a\n    type: ${type}\n    text: hi\n`;

describe('the plugin manifest', () => {
  it('lists every registered plugin, in order, with its names and the module that defines it', async () => {
    expect(
      PLUGIN_MANIFEST.map((e) => [e.kind, e.type, e.aliases, e.legacyNames]),
      'src/plugins/manifest.ts is stale: run npm run plugins:manifest',
    ).toEqual(PLUGINS.map((d) => [d.kind, d.type, d.aliases, d.legacyNames]));
    for (const [i, entry] of PLUGIN_MANIFEST.entries())
      expect((await entry.load()).default, entry.type).toBe(PLUGINS[i]);
    // No name is defined twice (createCatalog throws on one).
    expect(() => createCatalog(PLUGINS)).not.toThrow();
  });

  it('names the internal task types as their modules do', async () => {
    for (const type of INTERNAL_TASK_TYPES) expect((await internalTaskPlugin(type))?.type).toBe(type);
    expect(await internalTaskPlugin('io.kestra.plugin.core.log.Log')).toBeUndefined();
  });
});

describe('the on-demand catalog', () => {
  it('knows every name before loading anything, and imports only what is asked', async () => {
    const { catalog, imports } = testCatalog();
    expect(catalog.names('task')).toEqual(['test.Say', 'test.Speak', 'test.Wait']);
    expect(catalog.lookup('task', 'test.Nope')).toBeUndefined();
    expect(() => catalog.lookup('task', 'test.Speak')).toThrow(PluginNotLoadedError);
    await catalog.load(['test.Speak', 'STRING']);
    expect(catalog.lookup('task', 'test.Say')).toBe(say);
    expect(() => catalog.lookup('task', 'test.old.Wait')).toThrow(PluginNotLoadedError);
    expect(() => catalog.all('task')).toThrow(PluginNotLoadedError);
    await catalog.load(['test.Say']);
    expect(imports).toEqual(['test.Say']);
    await catalog.loadAll();
    expect(catalog.all('task')).toEqual([say, wait]);
    expect(imports).toEqual(['test.Say', 'test.Wait']);
  });

  it('finds the type names of a flow in its YAML', () => {
    expect([...pluginNamesIn(FLOW('test.Say'))]).toEqual(['test.Say']);
    expect([...pluginNamesIn('tasks: [{id: a, "type": "test.Wait"}]\ninputs:\n  - type: STRING')]).toEqual([
      'test.Wait',
      'STRING',
    ]);
  });

  it('validates with the plugins a flow names, all of them when one is written unusually', async () => {
    const { catalog, imports } = testCatalog();
    const valid = await withPluginsFor(
      FLOW('test.Say'),
      () => validateFlowSource(FLOW('test.Say'), { catalog }),
      catalog,
    );
    expect(valid.flows[0]?.valid).toBe(true);
    expect(imports).toEqual(['test.Say']);
    // A block scalar hides the name from the scan: the check meets it unloaded and loads everything.
    const hidden = FLOW('>-\n      test.old.Wait').replace('    text: hi\n', '');
    const validation = await withPluginsFor(hidden, () => validateFlowSource(hidden, { catalog }), catalog);
    expect(validation.flows[0]?.problems.map((problem) => problem.message)).toEqual([
      '`test.old.Wait` is a deprecated name of `test.Wait`',
    ]);
    expect(imports).toEqual(['test.Say', 'test.Wait']);
  });

  it('is not reported as a problem of the flow when a plugin is not loaded', () => {
    const { catalog } = testCatalog();
    expect(() => validateFlowSource(FLOW('test.Say'), { catalog })).toThrow(PluginNotLoadedError);
  });
});
