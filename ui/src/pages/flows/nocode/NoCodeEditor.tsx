/**
 * The no-code view of the flow editor: the flow's id and namespace, its inputs, and every flow
 * property the flow JSON Schema (the one the YAML completion uses) declares as a list of tasks or
 * triggers (`tasks`, `errors`, `finally`, `triggers`…) as cards with forms, nested lists of
 * tasks inside flowables included. Every change rewrites the YAML text (comments elsewhere kept,
 * see flowDocument.ts); the form is read from the text on each render, so switching back from
 * YAML shows what was typed there.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { flowSchemaQuery } from '../useFlowChecks';
import { CardList, typesListId } from './CardList';
import { EXPRESSIONS_LIST, FieldInput } from './FieldInput';
import {
  addItem,
  addListKey,
  asItems,
  deleteItem,
  deleteKey,
  moveItem,
  scalarText,
  setValueAt,
} from './flowDocument';
import type { FlowModel } from './flowDocument';
import { InputsSection } from './InputsSection';
import { NoCodeContext, useNoCode } from './noCodeContext';
import type { NoCodeContextValue, NoCodeEdits } from './noCodeContext';
import { preparedFlow, preparedSchema } from './prepare';
import { fieldOf } from './schemaFields';
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

/** Flows with more tasks than this open with their cards folded (a 200-task flow stays quick). */
const UNFOLDED_UP_TO = 10;

/** The test id of the cards of a flow-level list: `nocode-task-<i>`, `nocode-trigger-<i>`, `nocode-errors-<i>`… */
const listTestId = (name: string) =>
  name === 'tasks' ? 'nocode-task' : name === 'triggers' ? 'nocode-trigger' : `nocode-${name}`;

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
  const schemaQuery = useQuery(flowSchemaQuery);
  const schema: SchemaNode | undefined = schemaQuery.data;
  // Usually read ahead while the YAML view was idle (see prepare.ts).
  const { model, error, ids } = preparedFlow(source);
  const derived = schema && preparedSchema(schema);
  // Folded/unfolded by the user; otherwise by the flow's size.
  const [open, setOpen] = useState<Record<string, boolean>>({});

  const context = useMemo((): NoCodeContextValue | undefined => {
    if (!schema || !derived) return undefined;
    const { common, types } = derived;
    const edits: NoCodeEdits = {
      set: (path, value) => onChange(setValueAt(source, path, value)),
      add: (path, item) => onChange(addItem(source, path, item)),
      move: (path, index, delta) => onChange(moveItem(source, path, index, delta)),
      remove: (path, index) => onChange(deleteItem(source, path, index)),
      addKey: (path, key) => onChange(addListKey(source, path, key)),
      removeKey: (path, key) => onChange(deleteKey(source, path, key)),
    };
    const unfolded = ids.length <= UNFOLDED_UP_TO;
    return {
      schema,
      edits,
      common,
      types,
      ids,
      isOpen: (key) => open[key] ?? (key.startsWith('inputs.') || unfolded),
      setOpen: (key, value) => setOpen((current) => ({ ...current, [key]: value })),
      onTaskType,
    };
  }, [schema, derived, source, onChange, ids, open, onTaskType]);

  if (error)
    return (
      <div className="nocode-editor nocode-broken" data-testid="nocode-editor" role="alert">
        The YAML does not parse ({error}). Fix it in the YAML view to edit it here.
      </div>
    );
  if (!context || !model)
    return (
      <div className="nocode-editor" data-testid="nocode-editor">
        Loading the schema…
      </div>
    );
  return (
    <NoCodeContext.Provider value={context}>
      <FlowForm model={model} ids={ids} />
    </NoCodeContext.Provider>
  );
}

function FlowForm({ model, ids }: { model: FlowModel; ids: string[] }) {
  const { schema, edits, types } = useNoCode();
  const flowProperties = schema.properties ?? {};
  // The flow's lists of tasks and triggers, in the schema's order (tasks, errors, finally… triggers).
  const { lists } = preparedSchema(schema);
  // Fields that take expressions suggest the flow's inputs, the tasks' outputs and common variables.
  const expressions = [
    ...model.inputs.map((input) => `{{ inputs.${scalarText(input.id)} }}`),
    ...ids.map((id) => `{{ outputs.${id} }}`),
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
              onChange={(value) => edits.set([name], value)}
              testId={`nocode-flow-${name}`}
            />
          ))}
        </div>
      </section>
      <InputsSection inputs={model.inputs} />
      <datalist id={EXPRESSIONS_LIST}>
        {[...new Set(expressions)].map((expression) => (
          <option key={expression} value={expression} />
        ))}
      </datalist>
      {(['task', 'trigger'] as const).map((kind) => (
        <datalist key={kind} id={typesListId(kind)}>
          {types[kind].map((type) => (
            <option key={type} value={type} />
          ))}
        </datalist>
      ))}
      {lists.map((field) => (
        <section className="nocode-section" key={field.name}>
          <h3 title={field.description}>{sectionTitle(field.name)}</h3>
          <CardList
            path={[field.name]}
            items={asItems(model.flow[field.name])}
            kind={field.kind === 'triggers' ? 'trigger' : 'task'}
            testId={listTestId(field.name)}
          />
        </section>
      ))}
    </div>
  );
}

/** `tasks` → `Tasks`, `afterExecution` → `After execution`. */
function sectionTitle(name: string): string {
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
