/**
 * The no-code view of the flow editor: the flow's id and namespace, its inputs and its top-level
 * tasks as forms built from the flow JSON Schema (the one the YAML completion uses). Every change
 * rewrites the YAML text (comments elsewhere kept, see flowDocument.ts); the form is read from the
 * text on each render, so switching back from YAML shows what was typed there.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { flowSchema } from '../../../api/plugins';
import { EXPRESSIONS_LIST, FieldInput } from './FieldInput';
import {
  addItem,
  deleteItem,
  freshTaskId,
  moveItem,
  readFlowModel,
  scalarText,
  setValueAt,
} from './flowDocument';
import type { FlowList } from './flowDocument';
import {
  commonTaskProperties,
  fieldOf,
  fieldsOf,
  inputSchema,
  inputTypes,
  pluginSchema,
  taskTypes,
} from './schemaFields';
import type { SchemaNode } from './schemaFields';
import './nocode.css';

/** Variables every execution has, suggested in fields that take expressions. */
const EXPRESSION_VARIABLES = [
  'execution.id',
  'execution.startDate',
  'flow.id',
  'flow.namespace',
  'taskrun.id',
];

/** Flows with more tasks than this open with their task forms folded (a 200-task flow stays quick). */
const UNFOLDED_UP_TO = 10;

/**
 * The form view of `source`; `onChange` receives the rewritten YAML, `onTaskType` the type of the
 * task whose form has the focus (the docs pane follows it, as it follows the cursor in the YAML).
 */
export function NoCodeEditor({
  source,
  onChange,
  onTaskType,
}: {
  source: string;
  onChange: (source: string) => void;
  onTaskType?: (type: string | undefined) => void;
}) {
  const schemaQuery = useQuery({
    queryKey: ['plugins', 'schema', 'flow'],
    queryFn: ({ signal }) => flowSchema(signal),
    staleTime: Infinity,
  });
  const schema: SchemaNode | undefined = schemaQuery.data;
  const { model, error } = useMemo(() => readFlowModel(source), [source]);
  const common = useMemo(() => (schema ? commonTaskProperties(schema) : new Set<string>()), [schema]);
  const types = useMemo(() => (schema ? taskTypes(schema) : []), [schema]);
  // Folded/unfolded by the user; otherwise by the flow's size.
  const [open, setOpen] = useState<Record<string, boolean>>({});
  const [newType, setNewType] = useState('');

  if (error)
    return (
      <div className="nocode-editor nocode-broken" data-testid="nocode-editor" role="alert">
        The YAML does not parse ({error}). Fix it in the YAML view to edit it here.
      </div>
    );
  if (!schema || !model)
    return (
      <div className="nocode-editor" data-testid="nocode-editor">
        Loading the schema…
      </div>
    );

  const set = (path: Array<string | number>, value: unknown) => onChange(setValueAt(source, path, value));
  const move = (list: FlowList, index: number, delta: number) =>
    onChange(moveItem(source, list, index, delta));
  const remove = (list: FlowList, index: number) => onChange(deleteItem(source, list, index));
  const isOpen = (key: string) => open[key] ?? model.tasks.length <= UNFOLDED_UP_TO;

  const addTask = () => {
    const type = newType.trim();
    if (!type) return;
    const id = freshTaskId(
      type,
      model.tasks.map((t) => scalarText(t.id)),
    );
    setOpen({ ...open, [`task-${model.tasks.length}`]: true });
    onChange(addItem(source, 'tasks', { id, type }));
    setNewType('');
  };
  const addInput = () => {
    const id = freshTaskId(
      'input',
      model.inputs.map((i) => scalarText(i.id)),
    );
    setOpen({ ...open, [`input-${model.inputs.length}`]: true });
    onChange(addItem(source, 'inputs', { id, type: 'STRING' }));
  };
  const flowProperties = schema.properties ?? {};
  // Fields that take expressions suggest the flow's inputs, the tasks' outputs and common variables.
  const expressions = [
    ...model.inputs.map((input) => `{{ inputs.${scalarText(input.id)} }}`),
    ...model.tasks.map((task) => `{{ outputs.${scalarText(task.id)} }}`),
    ...EXPRESSION_VARIABLES.map((name) => `{{ ${name} }}`),
  ];

  return (
    <div className="nocode-editor" data-testid="nocode-editor">
      <section className="nocode-section">
        <h3>Flow</h3>
        <div className="nocode-grid">
          {(['id', 'namespace'] as const).map((name) => (
            <FieldInput
              key={name}
              field={fieldOf(name, flowProperties[name] ?? {}, true)}
              value={model[name]}
              onChange={(value) => set([name], value)}
              testId={`nocode-flow-${name}`}
            />
          ))}
        </div>
      </section>

      <section className="nocode-section">
        <h3>Inputs</h3>
        {model.inputs.map((input, index) => {
          const key = `input-${index}`;
          const type = scalarText(input.type);
          const fields = fieldsOf(inputSchema(schema, type), ['id', 'type']);
          return (
            <ItemCard
              key={key}
              testId={`nocode-input-${index}`}
              title={scalarText(input.id)}
              subtitle={type}
              open={open[key] ?? true}
              onToggle={() => setOpen({ ...open, [key]: !(open[key] ?? true) })}
              onUp={index > 0 ? () => move('inputs', index, -1) : undefined}
              onDown={index < model.inputs.length - 1 ? () => move('inputs', index, 1) : undefined}
              onDelete={() => remove('inputs', index)}
            >
              <FieldInput
                field={{ name: 'id', kind: 'text', required: true, dynamic: false }}
                value={input.id}
                onChange={(value) => set(['inputs', index, 'id'], value)}
                testId={`nocode-input-${index}-id`}
              />
              <FieldInput
                field={{
                  name: 'type',
                  kind: 'enum',
                  required: true,
                  dynamic: false,
                  options: inputTypes(schema),
                }}
                value={input.type}
                onChange={(value) => set(['inputs', index, 'type'], value)}
                testId={`nocode-input-${index}-type`}
              />
              {fields.map((field) => (
                <FieldInput
                  key={field.name}
                  field={field}
                  value={input[field.name]}
                  onChange={(value) => set(['inputs', index, field.name], value)}
                  testId={`nocode-input-${index}-${field.name}`}
                />
              ))}
            </ItemCard>
          );
        })}
        <button type="button" onClick={addInput} data-testid="nocode-add-input">
          + Add input
        </button>
      </section>

      <datalist id={EXPRESSIONS_LIST}>
        {expressions.map((expression) => (
          <option key={expression} value={expression} />
        ))}
      </datalist>
      <section className="nocode-section">
        <h3>Tasks</h3>
        {model.tasks.map((task, index) => {
          const key = `task-${index}`;
          const type = scalarText(task.type);
          const plugin = pluginSchema(schema, type);
          return (
            <ItemCard
              key={key}
              testId={`nocode-task-${index}`}
              title={scalarText(task.id)}
              subtitle={type}
              open={isOpen(key)}
              onToggle={() => setOpen({ ...open, [key]: !isOpen(key) })}
              onUp={index > 0 ? () => move('tasks', index, -1) : undefined}
              onDown={index < model.tasks.length - 1 ? () => move('tasks', index, 1) : undefined}
              onDelete={() => remove('tasks', index)}
              onFocus={() => onTaskType?.(type || undefined)}
            >
              {plugin ? (
                <TaskFields
                  plugin={plugin}
                  task={task}
                  common={common}
                  prefix={`nocode-task-${index}`}
                  onChange={(name, value) => set(['tasks', index, name], value)}
                />
              ) : (
                <p className="nocode-help">
                  No plugin {type || '(no type)'}: edit this task in the YAML view.
                </p>
              )}
            </ItemCard>
          );
        })}
        <div className="nocode-add">
          <input
            type="text"
            list="nocode-task-types"
            placeholder="Task type, e.g. io.kestra.plugin.core.log.Log"
            value={newType}
            onChange={(e) => setNewType(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && addTask()}
            data-testid="nocode-task-type"
            aria-label="Task type to add"
          />
          <datalist id="nocode-task-types">
            {types.map((type) => (
              <option key={type} value={type} />
            ))}
          </datalist>
          <button type="button" onClick={addTask} disabled={!newType.trim()} data-testid="nocode-add-task">
            + Add task
          </button>
        </div>
      </section>
    </div>
  );
}

/** A task's fields: id, its own properties, then the ones every task has (folded). */
function TaskFields({
  plugin,
  task,
  common,
  prefix,
  onChange,
}: {
  plugin: SchemaNode;
  task: Record<string, unknown>;
  common: Set<string>;
  prefix: string;
  onChange: (name: string, value: unknown) => void;
}) {
  const fields = fieldsOf(plugin, ['type']);
  const own = fields.filter((f) => !common.has(f.name) || f.name === 'id');
  const general = fields.filter((f) => common.has(f.name) && f.name !== 'id');
  const field = (spec: (typeof fields)[number]) => (
    <FieldInput
      key={spec.name}
      field={spec}
      value={task[spec.name]}
      onChange={(value) => onChange(spec.name, value)}
      testId={`${prefix}-${spec.name}`}
    />
  );
  return (
    <>
      {own.map(field)}
      {general.length > 0 && (
        <details className="nocode-general">
          <summary>General task properties ({general.map((f) => f.name).join(', ')})</summary>
          {general.map(field)}
        </details>
      )}
    </>
  );
}

/** A foldable card with move up/down and delete buttons. */
function ItemCard({
  testId,
  title,
  subtitle,
  open,
  onToggle,
  onUp,
  onDown,
  onDelete,
  onFocus,
  children,
}: {
  testId: string;
  title: string;
  subtitle: string;
  open: boolean;
  onToggle: () => void;
  onUp: (() => void) | undefined;
  onDown: (() => void) | undefined;
  onDelete: () => void;
  onFocus?: () => void;
  children: React.ReactNode;
}) {
  return (
    <div className="nocode-item card" data-testid={testId} onFocus={onFocus}>
      <div className="nocode-item-header">
        <button type="button" className="nocode-fold" onClick={onToggle} aria-expanded={open}>
          {open ? '▾' : '▸'} <strong>{title || '(no id)'}</strong>{' '}
          <span className="nocode-type">{subtitle}</span>
        </button>
        <span className="spacer" />
        <button type="button" onClick={onUp} disabled={!onUp} title="Move up" aria-label="Move up">
          ↑
        </button>
        <button type="button" onClick={onDown} disabled={!onDown} title="Move down" aria-label="Move down">
          ↓
        </button>
        <button type="button" className="danger" onClick={onDelete} title="Delete" aria-label="Delete">
          ✕
        </button>
      </div>
      {open && <div className="nocode-item-body">{children}</div>}
    </div>
  );
}
