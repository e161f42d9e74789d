/** Reads a JSON Schema property as a person would: its type, whether it is required or dynamic. */
import type { PluginDoc, PropertySchema } from '../../api/plugins';

// The alternative every dynamic property accepts: a string holding an expression.
const EXPRESSION_PATTERN = '\\{\\{|\\{%';

function typesOf(schema: PropertySchema | undefined): string[] {
  if (!schema) return [];
  if (schema.pattern === EXPRESSION_PATTERN && schema.type === 'string') return [];
  const alternatives = [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])];
  if (alternatives.length > 0) return alternatives.flatMap(typesOf);
  if (schema.enum) return [`enum (${schema.enum.map(String).join(', ')})`];
  if (schema.$ref) return [schema.$ref.split('/').pop() ?? 'object'];
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  return types
    .filter((t) => t !== 'null')
    .map((t) =>
      t === 'array' && schema.items ? `array of ${typesOf(schema.items).join(' | ') || 'any'}` : t,
    );
}

/** A short type: `string`, `integer | string`, `enum (A, B)`, `array of string`. */
export function propertyType(schema: PropertySchema): string {
  const types = [...new Set(typesOf(schema))];
  return types.length > 0 ? types.join(' | ') : 'any';
}

/** Whether the property renders expressions (`x-dynamic`). */
export function isDynamic(schema: PropertySchema): boolean {
  return schema['x-dynamic'] === true || schema.$dynamic === true;
}

/** Whether the property must be set: listed in `required`, or documented as "Required." */
export function isRequired(doc: PluginDoc, name: string, schema: PropertySchema): boolean {
  return (
    (doc.schema.properties.required ?? []).includes(name) || /^Required\b/.test(schema.description ?? '')
  );
}

/** The description without the leading "Required." the catalog adds. */
export function propertyDescription(schema: PropertySchema): string {
  return (schema.description ?? '').replace(/^Required\.\s*/, '');
}
