import { p } from '../schema/prop.js';
import type { Prop } from '../schema/prop.js';
import type { InputType } from '../model.js';

/** Input ids: dotted ids nest (`inputs.a.b`). */
export const INPUT_ID_PATTERN = /^[a-zA-Z0-9][.a-zA-Z0-9_-]*$/;

/** Types an ARRAY input's items may have. */
export const ARRAY_ITEM_TYPES = [
  'STRING',
  'INT',
  'FLOAT',
  'BOOLEAN',
  'BOOL',
  'DATETIME',
  'DATE',
  'TIME',
  'DURATION',
  'JSON',
  'URI',
  'EMAIL',
] as const;

function common(type: InputType): Record<string, Prop> {
  return {
    id: p
      .string({
        pattern: INPUT_ID_PATTERN,
        dynamic: false,
        expects: 'an id made of letters, digits, `.`, `_` and `-`, starting with a letter or digit',
      })
      .required()
      .describe('The input id, read as `inputs.<id>`; dots nest (`a.b` is `inputs.a.b`).'),
    name: p.string({ dynamic: false }).deprecated('id'),
    type: p.enum([type], { dynamic: false }).required(),
    description: p.string({ dynamic: false }),
    displayName: p.string({ dynamic: false }).describe('Label shown in the execute form.'),
    required: p
      .boolean({ dynamic: false })
      .default(true)
      .describe('An execution needs a value (or a default).'),
    defaults: p.any().describe('The value used when none is given; may contain expressions.'),
    prefill: p.any().describe('A value shown in the form that the user may clear.'),
    dependsOn: p
      .object({
        inputs: p
          .list(p.string({ dynamic: false }), { dynamic: false })
          .describe('Inputs this one depends on.'),
        condition: p.string().describe('An expression; the input applies only when it renders true.'),
      })
      .describe('Show and require this input only when `condition` holds.'),
  };
}

const scalarList = p.list(p.string({ dynamic: false }), { dynamic: false });

const range = (of: () => Prop): Record<string, Prop> => ({
  min: of().describe('Smallest value accepted.'),
  max: of().describe('Largest value accepted.'),
});

const dateRange = (): Record<string, Prop> => ({
  after: p.string({ dynamic: false }).describe('Values must be later than this.'),
  before: p.string({ dynamic: false }).describe('Values must be earlier than this.'),
});

const selectProps = (): Record<string, Prop> => ({
  values: scalarList.describe('The choices.'),
  expression: p.string().describe('An expression rendering to the list of choices (instead of `values`).'),
  allowCustomValue: p.boolean({ dynamic: false }).default(false).describe('Accept a value not in the list.'),
  autoSelectFirst: p.boolean({ dynamic: false }).default(false),
});

/** The shape of each input type: common properties plus its own. */
export const INPUT_SHAPES: Record<InputType, Record<string, Prop>> = {
  STRING: {
    ...common('STRING'),
    validator: p.string({ dynamic: false }).describe('A regex the whole value must match.'),
  },
  SECRET: {
    ...common('SECRET'),
    validator: p.string({ dynamic: false }).describe('A regex the whole value must match.'),
  },
  INT: { ...common('INT'), ...range(() => p.integer({ dynamic: false })) },
  FLOAT: { ...common('FLOAT'), ...range(() => p.number({ dynamic: false })) },
  BOOLEAN: { ...common('BOOLEAN') },
  BOOL: { ...common('BOOL') },
  DATE: { ...common('DATE'), ...dateRange() },
  DATETIME: { ...common('DATETIME'), ...dateRange() },
  TIME: { ...common('TIME'), ...dateRange() },
  DURATION: { ...common('DURATION'), ...range(() => p.duration({ dynamic: false })) },
  JSON: { ...common('JSON') },
  YAML: { ...common('YAML') },
  URI: { ...common('URI') },
  EMAIL: { ...common('EMAIL') },
  FILE: {
    ...common('FILE'),
    extension: p.string({ dynamic: false }).describe('The file extension required, e.g. `.csv`.'),
    allowedFileExtensions: scalarList.describe('File extensions accepted, e.g. `[".csv", ".json"]`.'),
  },
  ARRAY: {
    ...common('ARRAY'),
    itemType: p
      .enum(ARRAY_ITEM_TYPES, { dynamic: false })
      .required()
      .describe('The type each item is parsed as.'),
  },
  SELECT: { ...common('SELECT'), ...selectProps() },
  MULTISELECT: {
    ...common('MULTISELECT'),
    ...selectProps(),
    options: scalarList.deprecated('values'),
  },
  ENUM: { ...common('ENUM'), values: scalarList.required() },
};

export const INPUT_TYPES = Object.keys(INPUT_SHAPES) as InputType[];

/** Kestra renamed these; the old names still work. */
export const DEPRECATED_INPUT_TYPES: Partial<Record<InputType, InputType>> = {
  BOOLEAN: 'BOOL',
  ENUM: 'SELECT',
};

/** One flow input: a variant chosen by its `type`. */
export const inputProp = p.variant('type', INPUT_SHAPES);

/** Flow outputs are typed like inputs. */
export const OUTPUT_TYPES = INPUT_TYPES.filter(
  (t) => !['SELECT', 'MULTISELECT', 'ENUM', 'SECRET'].includes(t),
) as [InputType, ...InputType[]];
