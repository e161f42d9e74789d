/** One form field of the no-code editor, as its schema says: checkbox, select, text or YAML. */
import { useEffect, useState } from 'react';
import { parse, stringify } from 'yaml';
import { scalarText } from './flowDocument';
import type { FieldSpec } from './schemaFields';

/** The id of the `<datalist>` of expressions (rendered once by the no-code editor). */
export const EXPRESSIONS_LIST = 'nocode-expressions';

/** The value a text field stands for: numbers for number fields, the text otherwise. */
function fromText(kind: FieldSpec['kind'], text: string): unknown {
  if (kind === 'number' && /^-?\d+(\.\d+)?$/.test(text.trim())) return Number(text);
  return text;
}

/** A field bound to one value; `onChange(undefined)` removes the property. */
export function FieldInput({
  field,
  value,
  onChange,
  testId,
}: {
  field: FieldSpec;
  value: unknown;
  onChange: (value: unknown) => void;
  testId: string;
}) {
  const complex = value !== null && typeof value === 'object';
  const label = (
    <span className="nocode-label">
      {field.name}
      {field.required && (
        <span className="nocode-required" title="Required" aria-label="required">
          *
        </span>
      )}
      {field.kind === 'duration' && <span className="nocode-hint">duration, e.g. PT5M</span>}
      {field.dynamic && field.kind !== 'boolean' && <span className="nocode-hint">{'{{ }}'}</span>}
    </span>
  );
  const help = field.description && <small className="nocode-help">{field.description}</small>;

  if (field.kind === 'boolean' && !complex && (value === undefined || typeof value === 'boolean')) {
    return (
      <label className="nocode-field nocode-check" data-testid={testId} title={field.description}>
        <input
          type="checkbox"
          checked={value === undefined ? field.default === true : value}
          onChange={(e) =>
            onChange(e.target.checked === (field.default === true) ? undefined : e.target.checked)
          }
        />
        {label}
      </label>
    );
  }
  if (field.kind === 'yaml' || complex)
    return <YamlField {...{ field, value, onChange, testId, label, help }} />;
  const text = scalarText(value);
  if (field.kind === 'enum' && (text === '' || field.options?.includes(text))) {
    return (
      <label className="nocode-field" data-testid={testId}>
        {label}
        <select
          value={text}
          onChange={(e) => onChange(e.target.value || undefined)}
          data-required={field.required}
        >
          <option value="">
            {field.default !== undefined ? `(default: ${scalarText(field.default)})` : '—'}
          </option>
          {field.options?.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
        {help}
      </label>
    );
  }
  const multiline = text.includes('\n') || /script|sql|query|description|body/i.test(field.name);
  const common = {
    value: text,
    'data-required': field.required,
    placeholder: scalarText(field.default) || (field.kind === 'duration' ? 'PT1M' : ''),
    onChange: (e: { target: { value: string } }) => onChange(fromText(field.kind, e.target.value)),
  };
  return (
    <label className="nocode-field" data-testid={testId}>
      {label}
      {multiline ? (
        <textarea rows={Math.min(10, text.split('\n').length + 1)} {...common} />
      ) : (
        <input type="text" {...common} {...(field.dynamic ? { list: EXPRESSIONS_LIST } : {})} />
      )}
      {help}
    </label>
  );
}

/** Objects and lists: their YAML in a text area, applied when it parses. */
function YamlField({
  value,
  onChange,
  testId,
  label,
  help,
}: {
  field: FieldSpec;
  value: unknown;
  onChange: (value: unknown) => void;
  testId: string;
  label: React.ReactNode;
  help: React.ReactNode;
}) {
  const shown = value === undefined ? '' : stringify(value).trimEnd();
  const [text, setText] = useState(shown);
  const [error, setError] = useState<string | undefined>();
  useEffect(() => setText(shown), [shown]);
  return (
    <label className="nocode-field" data-testid={testId}>
      {label}
      <textarea
        className="nocode-yaml"
        rows={Math.min(10, text.split('\n').length + 1)}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          try {
            onChange(e.target.value.trim() === '' ? undefined : parse(e.target.value));
            setError(undefined);
          } catch (failure) {
            setError((failure as Error).message.split('\n')[0]);
          }
        }}
      />
      {error ? <small className="nocode-error">{error}</small> : help}
    </label>
  );
}
