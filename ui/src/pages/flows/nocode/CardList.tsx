/**
 * A list of task (or trigger) cards at a place in the flow, with add / move / delete: the flow's
 * `tasks`, `triggers`, `errors`, `finally`, and, nested in a card, any property the plugin's JSON
 * Schema declares as a list of tasks (a flowable's `tasks`, If's `then`/`else`…) or a map of task
 * lists (Switch's `cases`). Each card's form comes from its plugin's schema.
 */
import { useState } from 'react';
import { FieldInput } from './FieldInput';
import { asItem, asItems, freshTaskId, scalarText } from './flowDocument';
import type { Item, NodePath } from './flowDocument';
import { ItemCard } from './ItemCard';
import { pathKey, useNoCode } from './noCodeContext';
import { fieldsOf, isCardList, pluginSchema } from './schemaFields';
import type { FieldSpec, PluginKind, SchemaNode } from './schemaFields';

/** The `<datalist>` id of the types a list of `kind` can add (rendered once by the editor). */
export const typesListId = (kind: PluginKind) => `nocode-${kind}-types`;

/** The cards of the list at `path` and, below them, the control that adds one. */
export function CardList({
  path,
  items,
  kind,
  testId,
}: {
  path: NodePath;
  items: Item[];
  kind: PluginKind;
  /** Cards are `<testId>-<index>`; the add control `<testId>-type` and `<testId>-add`. */
  testId: string;
}) {
  const { edits } = useNoCode();
  return (
    <div className="nocode-list" data-testid={testId}>
      {items.map((item, index) => (
        <PluginCard
          key={index}
          path={[...path, index]}
          item={item}
          kind={kind}
          testId={`${testId}-${index}`}
          onUp={index > 0 ? () => edits.move(path, index, -1) : undefined}
          onDown={index < items.length - 1 ? () => edits.move(path, index, 1) : undefined}
          onDelete={() => edits.remove(path, index)}
        />
      ))}
      <AddCard path={path} count={items.length} kind={kind} testId={testId} />
    </div>
  );
}

/** A type field (typed or picked from the schema's types) and **+ Add**: a new card, unfolded. */
function AddCard({
  path,
  count,
  kind,
  testId,
}: {
  path: NodePath;
  count: number;
  kind: PluginKind;
  testId: string;
}) {
  const { edits, ids, setOpen } = useNoCode();
  const [type, setType] = useState('');
  const add = () => {
    const chosen = type.trim();
    if (!chosen) return;
    setOpen(pathKey([...path, count]), true);
    edits.add(path, { id: freshTaskId(chosen, ids), type: chosen });
    setType('');
  };
  return (
    <div className="nocode-add">
      <input
        type="text"
        list={typesListId(kind)}
        placeholder={
          kind === 'task'
            ? 'Task type, e.g. io.kestra.plugin.core.log.Log'
            : 'Trigger type, e.g. io.kestra.plugin.core.trigger.Schedule'
        }
        value={type}
        onChange={(e) => setType(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && add()}
        data-testid={`${testId}-type`}
        aria-label={`${kind === 'task' ? 'Task' : 'Trigger'} type to add`}
      />
      <button type="button" onClick={add} disabled={!type.trim()} data-testid={`${testId}-add`}>
        + Add {kind}
      </button>
    </div>
  );
}

/** One task or trigger: a foldable card with the form of its plugin. */
function PluginCard({
  path,
  item,
  kind,
  testId,
  onUp,
  onDown,
  onDelete,
}: {
  path: NodePath;
  item: Item;
  kind: PluginKind;
  testId: string;
  onUp: (() => void) | undefined;
  onDown: (() => void) | undefined;
  onDelete: () => void;
}) {
  const { schema, isOpen, setOpen, onTaskType } = useNoCode();
  const key = pathKey(path);
  const type = scalarText(item.type);
  const open = isOpen(key);
  return (
    <ItemCard
      testId={testId}
      title={scalarText(item.id)}
      subtitle={type}
      open={open}
      onToggle={() => setOpen(key, !open)}
      onUp={onUp}
      onDown={onDown}
      onDelete={onDelete}
      onFocus={(event) => {
        // The innermost card with the focus names the docs' plugin, not the flowables around it.
        event.stopPropagation();
        onTaskType?.(type || undefined);
      }}
    >
      {open && (
        <PluginForm path={path} item={item} kind={kind} testId={testId} schema={pluginSchema(schema, type)} />
      )}
    </ItemCard>
  );
}

/** A plugin's fields: its own, then its nested lists of tasks, then the ones every task has (folded). */
function PluginForm({
  path,
  item,
  kind,
  testId,
  schema,
}: {
  path: NodePath;
  item: Item;
  kind: PluginKind;
  testId: string;
  schema: SchemaNode | undefined;
}) {
  const { common, edits } = useNoCode();
  if (!schema)
    return (
      <p className="nocode-help">
        No plugin {scalarText(item.type) || '(no type)'}: edit this {kind} in the YAML view.
      </p>
    );
  const fields = fieldsOf(schema, ['type']);
  const isGeneral = (f: FieldSpec) => kind === 'task' && common.has(f.name) && f.name !== 'id';
  const own = fields.filter((f) => !isGeneral(f) && !isCardList(f));
  const lists = fields.filter((f) => !isGeneral(f) && isCardList(f));
  // Optional lists with nothing in them (a flowable's `errors`, `finally`) wait behind one fold.
  const isUnused = (f: FieldSpec) => !f.required && isEmptyList(item[f.name]);
  const unused = lists.filter(isUnused);
  const nested = (spec: FieldSpec) => (
    <NestedList
      key={spec.name}
      field={spec}
      path={[...path, spec.name]}
      value={item[spec.name]}
      testId={`${testId}-${spec.name}`}
    />
  );
  const general = fields.filter(isGeneral);
  const field = (spec: FieldSpec) => (
    <FieldInput
      key={spec.name}
      field={spec}
      value={item[spec.name]}
      onChange={(value) => edits.set([...path, spec.name], value)}
      testId={`${testId}-${spec.name}`}
    />
  );
  return (
    <>
      {own.map(field)}
      {lists.filter((f) => !isUnused(f)).map(nested)}
      {unused.length > 0 && (
        <details className="nocode-general">
          <summary>More task lists ({unused.map((f) => f.name).join(', ')})</summary>
          {unused.map(nested)}
        </details>
      )}
      {general.length > 0 && (
        <details className="nocode-general">
          <summary>General task properties ({general.map((f) => f.name).join(', ')})</summary>
          {general.map(field)}
        </details>
      )}
    </>
  );
}

/** Whether a property holds no task (missing, `[]` or `{}`). */
function isEmptyList(value: unknown): boolean {
  return (
    value === undefined || value === null || (typeof value === 'object' && Object.keys(value).length === 0)
  );
}

/** A property holding tasks, inside a card: a titled list of cards, or (Switch's `cases`) one list per key. */
function NestedList({
  field,
  path,
  value,
  testId,
}: {
  field: FieldSpec;
  path: NodePath;
  value: unknown;
  testId: string;
}) {
  return (
    <fieldset className="nocode-nested">
      <legend className="nocode-label" title={field.description}>
        {field.name}
        {field.required && (
          <span className="nocode-required" title="Required" aria-label="required">
            *
          </span>
        )}
      </legend>
      {field.kind === 'taskMap' ? (
        <CaseLists path={path} value={asItem(value)} testId={testId} />
      ) : (
        <CardList
          path={path}
          items={asItems(value)}
          kind={field.kind === 'triggers' ? 'trigger' : 'task'}
          testId={testId}
        />
      )}
    </fieldset>
  );
}

/** A map of task lists (Switch's `cases`): a list per key, a key added by name, removed with its tasks. */
function CaseLists({ path, value, testId }: { path: NodePath; value: Item; testId: string }) {
  const { edits } = useNoCode();
  const [key, setKey] = useState('');
  const addKey = () => {
    if (!key.trim()) return;
    edits.addKey(path, key.trim());
    setKey('');
  };
  return (
    <>
      {Object.entries(value).map(([name, tasks]) => (
        <div className="nocode-case" key={name}>
          <div className="nocode-item-header">
            <span className="nocode-label">{name}</span>
            <span className="spacer" />
            <button
              type="button"
              className="danger"
              onClick={() => edits.removeKey(path, name)}
              title={`Delete the case ${name} and its tasks`}
              aria-label={`Delete case ${name}`}
            >
              ✕
            </button>
          </div>
          <CardList path={[...path, name]} items={asItems(tasks)} kind="task" testId={`${testId}-${name}`} />
        </div>
      ))}
      <div className="nocode-add">
        <input
          type="text"
          placeholder="Case value"
          value={key}
          onChange={(e) => setKey(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && addKey()}
          data-testid={`${testId}-new-case`}
          aria-label="Case value to add"
        />
        <button type="button" onClick={addKey} disabled={!key.trim()} data-testid={`${testId}-add-case`}>
          + Add case
        </button>
      </div>
    </>
  );
}
