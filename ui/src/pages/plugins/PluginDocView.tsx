/**
 * One plugin's documentation: title, description, properties (required first; type, default,
 * dynamic or not), outputs and examples (read-only YAML editors). The plugins page shows it in
 * full, the flow editor's docs panel in compact form.
 */
import type { PluginDoc, PropertySchema } from '../../api/plugins';
import { DottedName } from '../../components/DottedName';
import { CodeEditor } from '../../components/editor/CodeEditor';
import { InlineMarkdown } from '../../components/InlineMarkdown';
import './plugins.css';
import { isDynamic, isRequired, propertyDescription, propertyType } from './propertyType';

// Properties every task has (id, type, retry…): the plugin's own come first, these after.
const COMMON = new Set(['id', 'type']);

/** A type that breaks only between words and after dots (`io.kestra.…` names), never inside a word. */
function TypeText({ schema }: { schema: PropertySchema }) {
  return (
    <code className="prop-type">
      <DottedName name={propertyType(schema)} />
    </code>
  );
}

function formatDefault(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function PropertyRow({
  name,
  schema,
  required,
}: {
  name: string;
  schema: PropertySchema;
  required: boolean;
}) {
  return (
    <tr data-property={name}>
      <td>
        <code className="prop-name">{name}</code>
        {required && <span className="prop-tag prop-required">required</span>}
        {isDynamic(schema) && (
          <span className="prop-tag prop-dynamic" title="Expressions ({{ … }}) are rendered">
            dynamic
          </span>
        )}
      </td>
      <td>
        <TypeText schema={schema} />
      </td>
      <td>{schema.default !== undefined ? <code>{formatDefault(schema.default)}</code> : ''}</td>
      <td className="prop-description">
        <InlineMarkdown text={propertyDescription(schema)} />
      </td>
    </tr>
  );
}

/** A property as a short block (the editor's narrow docs panel): name, tags, type, then the description. */
function PropertyItem({
  name,
  schema,
  required,
}: {
  name: string;
  schema: PropertySchema;
  required: boolean;
}) {
  return (
    <div className="prop-item" data-property={name}>
      <div className="prop-item-head">
        <code className="prop-name">{name}</code>
        {required && <span className="prop-tag prop-required">required</span>}
        {isDynamic(schema) && <span className="prop-tag prop-dynamic">dynamic</span>}
        {schema.default !== undefined && (
          <span className="prop-default">
            default <code>{formatDefault(schema.default)}</code>
          </span>
        )}
      </div>
      <TypeText schema={schema} />
      <div className="prop-description">
        <InlineMarkdown text={propertyDescription(schema)} />
      </div>
    </div>
  );
}

/** The documentation of `doc`; `compact` leaves out the common properties and shows one example. */
export function PluginDocView({ doc, compact = false }: { doc: PluginDoc; compact?: boolean }) {
  const properties = doc.schema.properties.properties ?? {};
  const own = doc.ownProperties.filter((name) => properties[name]);
  const rest = Object.keys(properties).filter((name) => !own.includes(name) && !COMMON.has(name));
  const byRequired = (names: string[]) =>
    [...names].sort(
      (a, b) => Number(isRequired(doc, b, properties[b]!)) - Number(isRequired(doc, a, properties[a]!)),
    );
  const outputs = Object.entries(doc.schema.outputs.properties ?? {});
  const examples = compact ? doc.examples.slice(0, 1) : doc.examples;
  const items = (names: string[]) => (
    <div className="prop-items">
      {byRequired(names).map((name) => (
        <PropertyItem
          key={name}
          name={name}
          schema={properties[name]!}
          required={isRequired(doc, name, properties[name]!)}
        />
      ))}
    </div>
  );
  const table = (names: string[]) => (
    <table className="table prop-table">
      <thead>
        <tr>
          <th>Property</th>
          <th>Type</th>
          <th>Default</th>
          <th>Description</th>
        </tr>
      </thead>
      <tbody>
        {byRequired(names).map((name) => (
          <PropertyRow
            key={name}
            name={name}
            schema={properties[name]!}
            required={isRequired(doc, name, properties[name]!)}
          />
        ))}
      </tbody>
    </table>
  );
  return (
    <article className={`plugin-doc${compact ? ' compact' : ''}`} data-testid="plugin-doc">
      <header>
        <div className="plugin-doc-kind">
          {doc.kind}
          {doc.flowable ? ' · flowable' : ''}
        </div>
        <h2>{doc.title ?? doc.type.split('.').pop()}</h2>
        <code className="plugin-doc-type">{doc.type}</code>
        {doc.description && (
          <p>
            <InlineMarkdown text={doc.description} />
          </p>
        )}
        {doc.aliases.length + doc.legacyNames.length > 0 && (
          <p className="muted">Also known as: {[...doc.aliases, ...doc.legacyNames].join(', ')}</p>
        )}
      </header>
      <section>
        <h3>Properties</h3>
        {own.length > 0 ? (
          compact ? (
            items(own)
          ) : (
            table(own)
          )
        ) : (
          <p className="muted">No properties of its own.</p>
        )}
        {!compact && rest.length > 0 && (
          <details>
            <summary>Common properties ({rest.length})</summary>
            {table(rest)}
          </details>
        )}
      </section>
      <section>
        <h3>Outputs</h3>
        {outputs.length === 0 ? (
          <p className="muted">No outputs.</p>
        ) : (
          <table className="table prop-table">
            <thead>
              <tr>
                <th>Output</th>
                <th>Type</th>
                <th>Description</th>
              </tr>
            </thead>
            <tbody>
              {outputs.map(([name, schema]) => (
                <tr key={name} data-output={name}>
                  <td>
                    <code className="prop-name">{name}</code>
                  </td>
                  <td>
                    <TypeText schema={schema} />
                  </td>
                  <td className="prop-description">
                    <InlineMarkdown text={schema.description ?? ''} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {examples.length > 0 && (
        <section>
          <h3>Examples</h3>
          {examples.map((example, index) => (
            <div className="plugin-example" key={index} data-testid="plugin-example">
              {example.title && (
                <h4>
                  <InlineMarkdown text={example.title} />
                </h4>
              )}
              <CodeEditor
                value={example.code}
                language="yaml"
                readOnly
                height={Math.min(22 * (example.code.split('\n').length + 1), 420)}
                ariaLabel={`Example: ${example.title ?? doc.type}`}
              />
            </div>
          ))}
        </section>
      )}
    </article>
  );
}
