/**
 * The values of a flow's input form: initial values from `defaults`/`prefill`, which inputs
 * show (`dependsOn`), and the multipart body Kestra's API takes (one field per input, files as
 * file parts, lists as repeated fields).
 */
import type { FlowInput } from '../../api/executions';

/** A form value: text, a list (MULTISELECT, ARRAY), a checkbox, or a chosen file. */
export type InputValue = string | string[] | boolean | File | undefined;
export type InputValues = Record<string, InputValue>;

/** An input's id (Kestra's old `name` too). */
export const inputId = (input: FlowInput) => input.id ?? input.name ?? '';

/** The type in upper case, deprecated names mapped to current ones. */
export function inputType(input: FlowInput): string {
  const type = input.type.toUpperCase();
  if (type === 'BOOL') return 'BOOLEAN';
  if (type === 'ENUM') return 'SELECT';
  return type;
}

/** Whether an input must have a value (Kestra's default is true). */
export const isRequired = (input: FlowInput) => input.required !== false;

const isExpression = (value: unknown) => typeof value === 'string' && value.includes('{{');

function asText(value: unknown, type: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (type === 'JSON') return JSON.stringify(value, null, 2);
  // Numbers and booleans print as themselves; objects as compact JSON.
  return JSON.stringify(value) ?? '';
}

/** `2024-02-05T10:00:00Z` → `2024-02-05T11:00` in the browser's zone (datetime-local's format). */
export function toLocalDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The value an input starts with: its literal default, or its prefill (expressions stay to the server). */
export function initialValue(input: FlowInput): InputValue {
  const type = inputType(input);
  const given =
    input.defaults !== undefined && !isExpression(input.defaults) ? input.defaults : input.prefill;
  if (isExpression(given)) return type === 'BOOLEAN' ? false : undefined;
  switch (type) {
    case 'BOOLEAN':
      return given === true || String(given).toLowerCase() === 'true';
    case 'MULTISELECT':
    case 'ARRAY':
      if (Array.isArray(given)) return given.map((item) => asText(item, 'STRING'));
      return given === undefined || given === null ? [] : [asText(given, type)];
    case 'DATETIME':
      return typeof given === 'string' ? toLocalDateTime(given) : undefined;
    case 'FILE':
      return undefined;
    default:
      return given === undefined ? undefined : asText(given, type);
  }
}

/** Whether a value counts as given (empty text and empty lists do not). */
export function hasValue(value: InputValue): boolean {
  if (value === undefined) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/**
 * Whether an input shows. Conditions are not evaluated in the browser (they are Pebble
 * expressions the server renders); an input shows once the inputs it depends on have values.
 */
export function isVisible(input: FlowInput, values: InputValues): boolean {
  const on = input.dependsOn?.inputs ?? [];
  return on.every((id) => hasValue(values[id]));
}

/** The multipart body of the visible inputs that have values (the server applies defaults to the rest). */
export function inputsForm(inputs: readonly FlowInput[], values: InputValues): FormData {
  const form = new FormData();
  for (const input of inputs) {
    const id = inputId(input);
    const value = values[id];
    if (!isVisible(input, values) || !hasValue(value)) continue;
    const type = inputType(input);
    if (value instanceof File) form.append(id, value, value.name);
    else if (typeof value === 'boolean') form.append(id, String(value));
    else if (Array.isArray(value)) {
      // ARRAY takes a JSON list (one repeated field would be a lone string); MULTISELECT repeats.
      if (type === 'ARRAY') form.append(id, JSON.stringify(value));
      else for (const item of value) form.append(id, item);
    } else if (type === 'DATETIME') {
      const date = new Date(value as string);
      form.append(id, Number.isNaN(date.getTime()) ? (value as string) : date.toISOString());
    } else form.append(id, value as string);
  }
  return form;
}

/** The message of each input from a 422 answer's details (`[{ input, message }]`). */
export function inputErrors(details: unknown): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!Array.isArray(details)) return errors;
  for (const item of details as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const { input, message } = item as { input?: unknown; message?: unknown };
    if (typeof input === 'string' && typeof message === 'string')
      errors[input] = errors[input] ? `${errors[input]}\n${message}` : message;
  }
  return errors;
}
