import { describe, expect, it } from 'vitest';
import { templates } from '../../../src/expr/index.js';
import { PropertyRenderError, renderTaskProperties } from '../../../src/engine/worker/render-props.js';
import { p } from '../../../src/plugins/api.js';

const context = { inputs: { n: 3, items: ['a', 'b'], flag: 'TRUE' } };
const render = (template: string) => templates.renderTypedAsync(template, context);

const PROPS = {
  text: p.string(),
  count: p.integer(),
  ratio: p.number(),
  enabled: p.boolean(),
  wait: p.duration(),
  level: p.enum(['INFO', 'WARN']).default('INFO'),
  list: p.list(p.string()),
  map: p.map(p.any()),
  literal: p.string({ dynamic: false }),
  tasks: p.tasks(),
};

describe('renderTaskProperties', () => {
  it('renders a default that is an expression, as Kestra does with `{{ flow.namespace }}`', async () => {
    const props = await renderTaskProperties(
      { target: p.string().default('{{ inputs.n }} left'), count: p.integer().default('{{ inputs.n }}') },
      { id: 'x', type: 't' },
      render,
    );
    expect(props).toEqual({ target: '3 left', count: 3 });
  });

  it("renders `description` only for a plugin that declares it (a BigQuery dataset's description)", async () => {
    const task = { id: 'x', type: 't', description: 'made by {{ inputs.n }}' };
    expect(await renderTaskProperties({ description: p.string() }, task, render)).toEqual({
      description: 'made by 3',
    });
    expect(await renderTaskProperties({ text: p.string() }, task, render)).toEqual({});
  });

  it('renders templates and converts them to the property type', async () => {
    const props = await renderTaskProperties(
      PROPS,
      {
        id: 'x',
        type: 't',
        text: '{{ inputs.n }} items',
        count: '{{ inputs.n + 1 }}',
        ratio: '0.5',
        enabled: '{{ inputs.flag }}',
        wait: 'PT{{ inputs.n }}S',
        list: '{{ inputs.items }}',
        map: { a: '{{ inputs.n }}', nested: ['{{ inputs.items | first }}'] },
        literal: '{{ not rendered }}',
        tasks: [{ id: 'child', type: 'io.kestra.plugin.core.log.Log', message: '{{ later }}' }],
      },
      render,
    );
    expect(props).toEqual({
      text: '3 items',
      count: 4,
      ratio: 0.5,
      enabled: true,
      wait: 'PT3S',
      level: 'INFO',
      list: ['a', 'b'],
      map: { a: 3, nested: ['a'] },
      literal: '{{ not rendered }}',
      tasks: [{ id: 'child', type: 'io.kestra.plugin.core.log.Log', message: '{{ later }}' }],
    });
  });

  it('renders every string of an `asText` value to text, keys included, keeping other literals', async () => {
    const props = await renderTaskProperties(
      { values: p.map(p.any({ asText: true })) },
      {
        id: 'x',
        type: 't',
        values: { n: '{{ inputs.n }}', '{{ inputs.n }}_key': [1, '{{ inputs.items }}'], deep: { on: true } },
      },
      render,
    );
    expect(props).toEqual({ values: { n: '3', '3_key': [1, '["a","b"]'], deep: { on: true } } });
  });

  it('reads a JSON text as a list', async () => {
    expect(
      await renderTaskProperties({ list: p.list(p.any()) }, { list: '{{ inputs.items | json }}' }, render),
    ).toEqual({
      list: ['a', 'b'],
    });
  });

  it.each([
    ['count', '{{ "many" }}', 'Property `count`: expected an integer'],
    ['count', '{{ 1.5 }}', 'Property `count`: expected an integer'],
    ['enabled', 'maybe', 'Property `enabled`: expected'],
    ['wait', 'soon', 'Property `wait`: expected'],
    ['level', 'LOUD', 'Property `level`: expected'],
    ['list', 'not json', 'Property `list`: expected'],
  ])('refuses %s rendered to %s', async (name, value, message) => {
    const error = await renderTaskProperties(PROPS, { [name]: value }, render).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PropertyRenderError);
    expect((error as PropertyRenderError).code).toBe('WH_TASK_PROPERTY_INVALID');
    expect((error as Error).message).toContain(message);
  });
});
