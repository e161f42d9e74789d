/** The fields of a list of inputs (a flow's, or a Pause task's onResume), hiding those whose dependsOn inputs are empty. */
import type { FlowInput } from '../../api/executions';
import { InputField } from './InputField';
import { inputId, isVisible } from './inputValues';
import type { InputValue, InputValues } from './inputValues';

/** Renders each visible input's field; `errors` maps input ids to the server's messages. */
export function InputsForm({
  inputs,
  values,
  errors,
  onChange,
}: {
  inputs: readonly FlowInput[];
  values: InputValues;
  errors: Record<string, string>;
  onChange: (id: string, value: InputValue) => void;
}) {
  return (
    <div className="inputs-form">
      {inputs
        .filter((input) => isVisible(input, values))
        .map((input) => {
          const id = inputId(input);
          return (
            <InputField
              key={id}
              input={input}
              value={values[id]}
              error={errors[id]}
              onChange={(value) => onChange(id, value)}
            />
          );
        })}
    </div>
  );
}
