/**
 * The `yaml` package, loaded when first used. Flows are read with js-yaml; `yaml` (which keeps
 * source positions) parses a file only when a problem needs a position or js-yaml cannot read
 * it, so a command validating or running valid flows never loads it (~30 ms of CPU).
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

let loaded: typeof Yaml | undefined;

/** The `yaml` package (its CommonJS build, which is also what `import 'yaml'` gives Node). */
export function yamlPackage(): typeof Yaml {
  return (loaded ??= createRequire(import.meta.url)('yaml') as typeof Yaml);
}

// The node type guards, for modules that walk documents `yamlPackage` made.
export const isAlias = ((node: unknown) => yamlPackage().isAlias(node)) as typeof Yaml.isAlias;
export const isMap = ((node: unknown) => yamlPackage().isMap(node)) as typeof Yaml.isMap;
export const isNode = ((node: unknown) => yamlPackage().isNode(node)) as typeof Yaml.isNode;
export const isPair = ((node: unknown) => yamlPackage().isPair(node)) as typeof Yaml.isPair;
export const isScalar = ((node: unknown) => yamlPackage().isScalar(node)) as typeof Yaml.isScalar;
export const isSeq = ((node: unknown) => yamlPackage().isSeq(node)) as typeof Yaml.isSeq;
