/**
 * The model fake's tool-call rule (fakes/tool-calls.ts): which tool is called and with which arguments, from the
 * prompt and the tool's JSON schema, and what each tool-call fault does to the call.
 */
import { describe, expect, it } from 'vitest';
import type { FakeMode } from '../../contract/index.ts';
import type { AppliedMode } from '../../fakes/fake-runtime.ts';
import { type OfferedTool, type ToolOffer, chooseTool, toolArguments, toolCallFor } from '../../fakes/tool-calls.ts';

const weather: OfferedTool = {
  name: 'get_weather',
  description: 'Weather forecast for a city',
  parameters: {
    type: 'object',
    properties: {
      city: { type: 'string' },
      days: { type: 'integer', maximum: 7 },
      unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
    },
    required: ['city', 'days'],
  },
};
const flights: OfferedTool = { name: 'searchFlights', description: 'Find flights between two airports', parameters: { type: 'object' } };
const offer = (prompt: string, extra: Partial<ToolOffer> = {}): ToolOffer => ({
  tools: [flights, weather],
  choice: 'auto',
  afterToolResult: false,
  prompt,
  ...extra,
});
const applied = (mode: FakeMode): AppliedMode => ({ id: 'm', mode, random: () => () => 0 });

describe('chooseTool', () => {
  it('picks the tool sharing the most words with the prompt (name split at camelCase, description)', () => {
    expect(chooseTool(offer('What is the weather in Paris?'))?.name).toBe('get_weather');
    expect(chooseTool(offer('Find me flights from Oslo to Rome'))?.name).toBe('searchFlights');
  });

  it('with auto, answers in text when no tool shares a word; required takes the first tool then; a named choice wins', () => {
    expect(chooseTool(offer('How many days are returns accepted?'))).toBeNull();
    expect(chooseTool(offer('How many days are returns accepted?', { choice: 'required' }))?.name).toBe('searchFlights');
    expect(chooseTool(offer('What is the weather in Paris?', { choice: { name: 'searchFlights' } }))?.name).toBe('searchFlights');
  });

  it('never calls with tool_choice none, after a tool result, or without tools', () => {
    expect(chooseTool(offer('What is the weather in Paris?', { choice: 'none' }))).toBeNull();
    expect(chooseTool(offer('What is the weather in Paris?', { afterToolResult: true }))).toBeNull();
    expect(chooseTool(offer('What is the weather in Paris?', { tools: [] }))).toBeNull();
  });
});

describe('toolArguments', () => {
  it('fills required fields only, in schema order: a capitalised name, the n-th number kept under maximum', () => {
    expect(toolArguments(weather.parameters, 'What is the weather in Paris for the next 3 days?')).toEqual({ city: 'Paris', days: 3 });
    expect(toolArguments(weather.parameters, 'Weather in New York for 30 days')).toEqual({ city: 'New York', days: 7 });
  });

  it('gives the n-th string field the n-th candidate: quoted texts, then capitalised runs, then the last line', () => {
    const schema = {
      type: 'object',
      properties: { from: { type: 'string' }, to: { type: 'string' }, note: { type: 'string', maxLength: 10 }, extra: { type: 'string' } },
      required: ['from', 'to', 'note', 'extra'],
    };
    expect(toolArguments(schema, 'Book "OSL" to Rome.\nthen send a confirmation please')).toEqual({
      from: 'OSL',
      to: 'Rome',
      note: 'then send ',
      extra: 'then send a confirmation please',
    });
  });

  it('fills enum, const, boolean, null, arrays (minItems), nested objects, unions, and numbers without a prompt number', () => {
    const schema = {
      type: 'object',
      properties: {
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        version: { const: 2 },
        notify: { type: 'boolean' },
        nothing: { type: 'null' },
        tags: { type: 'array', items: { type: 'integer', minimum: 5 }, minItems: 2 },
        where: { type: 'object', properties: { country: { type: 'string' }, zip: { type: 'string' } }, required: ['country'] },
        limit: { type: ['integer', 'null'] },
        id: { anyOf: [{ type: 'number' }, { type: 'string' }] },
      },
      required: ['unit', 'version', 'notify', 'nothing', 'tags', 'where', 'limit', 'id'],
    };
    expect(toolArguments(schema, 'Forecast in Fahrenheit')).toEqual({
      unit: 'fahrenheit',
      version: 2,
      notify: true,
      nothing: null,
      tags: [5, 5],
      where: { country: 'Fahrenheit' },
      limit: 1,
      id: 1,
    });
  });
});

describe('toolArguments limits', () => {
  it('gives an array at most 16 items whatever its minItems', () => {
    const schema = { type: 'object', properties: { ids: { type: 'array', items: { type: 'boolean' }, minItems: 1e9 } }, required: ['ids'] };
    expect(toolArguments(schema, 'x')).toEqual({ ids: Array.from({ length: 16 }, () => true) });
  });
});

describe('toolCallFor', () => {
  const prompt = offer('What is the weather in Paris for the next 3 days?');

  it('without a fault: the chosen tool and its arguments as JSON text and as an object', () => {
    expect(toolCallFor(prompt, weather, null)).toEqual({
      name: 'get_weather',
      arguments: '{"city":"Paris","days":3}',
      input: { city: 'Paris', days: 3 },
      truncated: false,
    });
  });

  it('tool_args_truncated cuts the JSON text to keep_ratio of its characters; the object keeps only whole fields', () => {
    expect(toolCallFor(prompt, weather, applied({ kind: 'tool_args_truncated', rate: 1 }))).toEqual({
      name: 'get_weather',
      arguments: '{"city":"Par',
      input: {},
      truncated: true,
    });
    expect(toolCallFor(prompt, weather, applied({ kind: 'tool_args_truncated', rate: 1, keep_ratio: 0.9 }))).toEqual({
      name: 'get_weather',
      arguments: '{"city":"Paris","days"',
      input: { city: 'Paris' },
      truncated: true,
    });
  });

  it('tool_args_invalid drops or mistypes the first required field; a tool without required fields gets []', () => {
    const call = (mode: FakeMode, tool = weather) => toolCallFor(prompt, tool, applied(mode)).arguments;
    expect(call({ kind: 'tool_args_invalid', rate: 1 })).toBe('{"days":3}');
    expect(call({ kind: 'tool_args_invalid', rate: 1, violation: 'wrong_type' })).toBe('{"city":0,"days":3}');
    expect(call({ kind: 'tool_args_invalid', rate: 1 }, flights)).toBe('[]');
  });

  it('tool_unknown names a tool that was not offered, with the arguments the chosen tool would get', () => {
    expect(toolCallFor(prompt, weather, applied({ kind: 'tool_unknown', rate: 1 }))).toMatchObject({
      name: 'undeclared_tool',
      arguments: '{"city":"Paris","days":3}',
    });
    expect(toolCallFor(prompt, weather, applied({ kind: 'tool_unknown', rate: 1, name: 'searchFlights' })).name).toBe('searchFlights_2');
  });
});
