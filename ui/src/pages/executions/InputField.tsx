/** One input of a flow as a form control chosen by its type (docs/inputs.md). */
import { lazy, Suspense, useId } from 'react';
import type { FlowInput } from '../../api/executions';
import { Loading } from '../../components/Loading';
import { inputId, inputType, isRequired } from './inputValues';
import type { InputValue } from './inputValues';

interface Props {
  input: FlowInput;
  value: InputValue;
  error?: string | undefined;
  onChange: (value: InputValue) => void;
}

// Monaco is large: it loads only for a flow with JSON or YAML inputs.
const CodeEditor = lazy(() =>
  import('../../components/editor/CodeEditor').then((module) => ({ default: module.CodeEditor })),
);

const TEXT_TYPES: Record<string, { type: string; placeholder?: string }> = {
  STRING: { type: 'text' },
  URI: { type: 'text', placeholder: 'https://…' },
  EMAIL: { type: 'email', placeholder: 'name@example.com' },
  SECRET: { type: 'password' },
  DURATION: { type: 'text', placeholder: 'PT1H30M, P1D' },
  DATE: { type: 'date' },
  DATETIME: { type: 'datetime-local' },
  TIME: { type: 'time' },
};

/** A checkbox list, with a free-text box when custom values are allowed. */
function MultiSelect({ input, value, onChange, id }: Props & { id: string }) {
  const chosen = Array.isArray(value) ? value : [];
  const options = input.values ?? [];
  // Without listed values (an `expression` the server renders), every value is typed.
  const free = input.allowCustomValue === true || options.length === 0;
  const custom = chosen.filter((item) => !options.includes(item));
  const toggle = (option: string) =>
    onChange(chosen.includes(option) ? chosen.filter((item) => item !== option) : [...chosen, option]);
  return (
    <div className="input-choices" id={id} role="group">
      {options.map((option) => (
        <label key={option} className="choice">
          <input type="checkbox" checked={chosen.includes(option)} onChange={() => toggle(option)} />
          {option}
        </label>
      ))}
      {free && (
        <input
          type="text"
          aria-label={`${inputId(input)} other values`}
          placeholder={options.length > 0 ? 'Other values, comma-separated' : 'Values, comma-separated'}
          defaultValue={custom.join(', ')}
          onBlur={(event) => {
            const extra = event.target.value
              .split(',')
              .map((item) => item.trim())
              .filter(Boolean);
            onChange([...chosen.filter((item) => options.includes(item)), ...extra]);
          }}
        />
      )}
    </div>
  );
}

function Control({ input, value, onChange, id }: Props & { id: string }) {
  const type = inputType(input);
  const text = typeof value === 'string' ? value : '';
  const described = `${id}-help`;
  switch (type) {
    case 'BOOLEAN':
      return (
        <label className="choice">
          <input
            id={id}
            type="checkbox"
            checked={value === true}
            onChange={(e) => onChange(e.target.checked)}
          />
          {value === true ? 'true' : 'false'}
        </label>
      );
    case 'INT':
    case 'FLOAT':
      return (
        <input
          id={id}
          type="number"
          step={type === 'INT' ? 1 : 'any'}
          value={text}
          onChange={(e) => onChange(e.target.value)}
          {...(input.min !== undefined ? { min: input.min } : {})}
          {...(input.max !== undefined ? { max: input.max } : {})}
        />
      );
    case 'SELECT':
      // Values from an `expression` are rendered by the server: the user types one.
      if (input.allowCustomValue || !input.values?.length)
        return (
          <>
            <input id={id} list={`${id}-values`} value={text} onChange={(e) => onChange(e.target.value)} />
            <datalist id={`${id}-values`}>
              {(input.values ?? []).map((option) => (
                <option key={option} value={option} />
              ))}
            </datalist>
          </>
        );
      return (
        <select id={id} value={text} onChange={(e) => onChange(e.target.value)}>
          <option value="">— choose —</option>
          {(input.values ?? []).map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      );
    case 'MULTISELECT':
      return <MultiSelect input={input} value={value} onChange={onChange} id={id} />;
    case 'FILE':
      return (
        <input
          id={id}
          type="file"
          onChange={(e) => onChange(e.target.files?.[0] ?? undefined)}
          aria-describedby={described}
        />
      );
    case 'JSON':
    case 'YAML':
      return (
        <div className="code-input-frame" id={id}>
          <Suspense fallback={<Loading label="Loading the editor…" />}>
            <CodeEditor
              value={text}
              onChange={(next) => onChange(next)}
              language={type === 'JSON' ? 'json' : 'yaml'}
              height={160}
              ariaLabel={`${inputId(input)} (${type})`}
            />
          </Suspense>
        </div>
      );
    case 'ARRAY': {
      const items = Array.isArray(value) ? value : [];
      return (
        <textarea
          id={id}
          rows={4}
          spellCheck={false}
          placeholder={`One ${(input.itemType ?? 'STRING').toLowerCase()} per line`}
          value={items.join('\n')}
          onChange={(e) => onChange(e.target.value === '' ? [] : e.target.value.split('\n'))}
        />
      );
    }
    default: {
      const spec = TEXT_TYPES[type] ?? { type: 'text' };
      return (
        <input
          id={id}
          type={spec.type}
          value={text}
          placeholder={spec.placeholder}
          autoComplete={type === 'SECRET' ? 'off' : undefined}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    }
  }
}

/** A labelled control with its description, required mark and the server's error for it. */
export function InputField(props: Props) {
  const id = useId();
  const { input, error } = props;
  const name = inputId(input);
  return (
    <div className={`input-field${error ? ' has-error' : ''}`} data-input={name}>
      <label htmlFor={id} className="input-label">
        <span>
          {input.displayName ?? name}
          {isRequired(input) && (
            <span className="required" title="required">
              {' '}
              *
            </span>
          )}
        </span>
        <span className="input-type">{inputType(input)}</span>
      </label>
      <Control {...props} id={id} />
      {input.description && (
        <p className="input-help muted" id={`${id}-help`}>
          {input.description}
        </p>
      )}
      {error && (
        <p className="error-text input-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
