/** The no-code view's inputs: one card per input, its fields from the schema of its type. */
import { FieldInput } from './FieldInput';
import { freshTaskId, scalarText } from './flowDocument';
import type { Item } from './flowDocument';
import { ItemCard } from './ItemCard';
import { pathKey, useNoCode } from './noCodeContext';
import { fieldsOf, inputSchema, inputTypes } from './schemaFields';

/** The flow's inputs and **+ Add input** (a STRING input). */
export function InputsSection({ inputs }: { inputs: Item[] }) {
  const { schema, edits, isOpen, setOpen } = useNoCode();
  const types = inputTypes(schema);
  const addInput = () => {
    const id = freshTaskId(
      'input',
      inputs.map((i) => scalarText(i.id)),
    );
    setOpen(pathKey(['inputs', inputs.length]), true);
    edits.add(['inputs'], { id, type: 'STRING' });
  };
  return (
    <section className="nocode-section">
      <h3>Inputs</h3>
      {inputs.map((input, index) => {
        const key = pathKey(['inputs', index]);
        const type = scalarText(input.type);
        const fields = fieldsOf(inputSchema(schema, type), ['id', 'type']);
        const set = (name: string) => (value: unknown) => edits.set(['inputs', index, name], value);
        return (
          <ItemCard
            key={key}
            testId={`nocode-input-${index}`}
            title={scalarText(input.id)}
            subtitle={type}
            open={isOpen(key)}
            onToggle={() => setOpen(key, !isOpen(key))}
            onUp={index > 0 ? () => edits.move(['inputs'], index, -1) : undefined}
            onDown={index < inputs.length - 1 ? () => edits.move(['inputs'], index, 1) : undefined}
            onDelete={() => edits.remove(['inputs'], index)}
          >
            <FieldInput
              field={{ name: 'id', kind: 'text', required: true, dynamic: false }}
              value={input.id}
              onChange={set('id')}
              testId={`nocode-input-${index}-id`}
            />
            <FieldInput
              field={{ name: 'type', kind: 'enum', required: true, dynamic: false, options: types }}
              value={input.type}
              onChange={set('type')}
              testId={`nocode-input-${index}-type`}
            />
            {fields.map((field) => (
              <FieldInput
                key={field.name}
                field={field}
                value={input[field.name]}
                onChange={set(field.name)}
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
  );
}
