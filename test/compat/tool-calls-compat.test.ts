/**
 * Tool calls of the model fake as the official `openai` SDK (chat completions with `tools` and the legacy
 * `functions`, the Responses API) and the Vercel AI SDK (`.chat()` and the default Responses model) see them,
 * plain and streamed, and each tool-call fault as the client sees it.
 */
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText, tool } from 'ai';
import OpenAI from 'openai';
import { z } from 'zod';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningFakes, answerQuestion, mode, parsePrompt, startFakes } from '../../fakes/index.ts';

const question = 'What is the weather in Paris for the next 3 days?';
const weatherSchema = {
  type: 'object',
  properties: { city: { type: 'string' }, days: { type: 'integer' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
  required: ['city', 'days'],
};
const ARGS = '{"city":"Paris","days":3}';
const chatTools: OpenAI.ChatCompletionTool[] = [
  {
    type: 'function',
    function: { name: 'search_flights', description: 'Find flights between two airports', parameters: { type: 'object', properties: {} } },
  },
  { type: 'function', function: { name: 'get_weather', description: 'Weather forecast for a city', parameters: weatherSchema } },
];
const responsesTools: OpenAI.Responses.FunctionTool[] = chatTools.map((t) => ({
  type: 'function',
  name: t.type === 'function' ? t.function.name : '',
  description: t.type === 'function' ? (t.function.description ?? null) : null,
  parameters: t.type === 'function' ? (t.function.parameters ?? null) : null,
  strict: false,
}));

let fakes: RunningFakes;
let baseURL: string;

beforeAll(async () => {
  fakes = await startFakes({ seed: 7, fakes: { model: { kind: 'model', options: { chunk_delay_ms: 0 } } } });
  baseURL = `${fakes.fakes.model.url}/v1`;
});
afterAll(() => fakes?.close());
afterEach(() => fakes.fakes.model.runtime.clearModes());

/** finish_reason of the fake's last `n` log entries. */
const finishes = (n: number) =>
  fakes.fakes.model.runtime
    .log(0)
    .entries.slice(-n)
    .map((e) => e.finish_reason);
const clearModes = () => fakes.fakes.model.runtime.clearModes();
const setMode = (built: { mode: Parameters<RunningFakes['fakes'][string]['runtime']['setMode']>[1] }) =>
  fakes.fakes.model.runtime.setMode('tool-fault', built.mode);

describe('official openai SDK, chat completions', () => {
  const client = () => new OpenAI({ baseURL, apiKey: 'test-key', maxRetries: 0 });
  const ask = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: question }], tools: chatTools };

  it('answers a request offering tools with a call to the best-matching tool, arguments filled from the prompt', async () => {
    const completion = await client().chat.completions.create(ask);
    const [choice] = completion.choices;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toEqual([
      { id: expect.stringMatching(/^call_[0-9a-f]{24}$/), type: 'function', function: { name: 'get_weather', arguments: ARGS } },
    ]);
  });

  it('streams the call: name and id in the first delta, the arguments in several deltas, finish_reason tool_calls', async () => {
    const stream = await client().chat.completions.create({ ...ask, stream: true, stream_options: { include_usage: true } });
    let name = '';
    let args = '';
    const argumentDeltas: string[] = [];
    let finish: string | null = null;
    let usage: unknown = null;
    for await (const chunk of stream) {
      const call = chunk.choices[0]?.delta.tool_calls?.[0];
      if (call?.function?.name) name = call.function.name;
      if (call?.function?.arguments) argumentDeltas.push(call.function.arguments);
      args += call?.function?.arguments ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect({ name, args, finish }).toEqual({ name: 'get_weather', args: ARGS, finish: 'tool_calls' });
    expect(argumentDeltas.length).toBeGreaterThanOrEqual(3);
    expect(usage).toEqual({ prompt_tokens: 11, completion_tokens: 4, total_tokens: 15 });
  });

  it('answers the legacy functions with function_call and finish_reason function_call', async () => {
    const completion = await client().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: question }],
      functions: chatTools.map((t) => (t.type === 'function' ? t.function : { name: 'x' })),
    });
    expect(completion.choices[0].finish_reason).toBe('function_call');
    expect(completion.choices[0].message.function_call).toEqual({ name: 'get_weather', arguments: ARGS });
  });

  it('answers in text after a tool result, and when tool_choice is none or no tool matches the prompt', async () => {
    const prompt =
      '[doc-001] Returns are accepted within 14 days of delivery.\nQuestion: How many days after delivery are returns accepted?';
    const expected = answerQuestion(parsePrompt(prompt)).text;
    const afterResult = await client().chat.completions.create({
      model: 'gpt-4o-mini',
      tools: chatTools,
      messages: [
        { role: 'user', content: prompt },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: ARGS } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '{"forecast":"sunny"}' },
      ],
    });
    expect(afterResult.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: expected } });
    // The log tells this step from a resend of the first: the same user_text, a longer prompt (the tool's result).
    const step = fakes.fakes.model.runtime.log(0).entries.at(-1)!;
    expect(step).toMatchObject({ user_text: prompt, prompt_chars: prompt.length + 1 + 0 + 1 + '{"forecast":"sunny"}'.length });
    const none = await client().chat.completions.create({ ...ask, tool_choice: 'none' });
    expect(none.choices[0].finish_reason).toBe('stop');
    const unrelated = await client().chat.completions.create({ ...ask, messages: [{ role: 'user', content: prompt }] });
    expect(unrelated.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: expected } });
    const forced = await client().chat.completions.create({
      ...ask,
      tool_choice: { type: 'function', function: { name: 'search_flights' } },
    });
    expect(forced.choices[0].message.tool_calls?.[0]).toMatchObject({ function: { name: 'search_flights', arguments: '{}' } });
  });

  it('tool_args_truncated: the arguments are cut JSON with finish_reason length, plain and streamed', async () => {
    setMode(mode.toolArgsTruncated());
    const completion = await client().chat.completions.create(ask);
    expect(completion.choices[0].finish_reason).toBe('length');
    expect(completion.choices[0].message.tool_calls?.[0]).toMatchObject({ function: { name: 'get_weather', arguments: '{"city":"Par' } });
    let args = '';
    let finish: string | null = null;
    for await (const chunk of await client().chat.completions.create({ ...ask, stream: true })) {
      args += chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect({ args, finish }).toEqual({ args: '{"city":"Par', finish: 'length' });
    expect(() => JSON.parse(args)).toThrow(SyntaxError);
    // The fake's log says so too (the truncated outcome's evidence), for both calls.
    expect(finishes(2)).toEqual(['length', 'length']);
    clearModes();
    await client().chat.completions.create(ask);
    expect(finishes(1)).toEqual(['tool_calls']);
  });

  it('tool_args_invalid and tool_unknown: a required field missing or mistyped, a tool that was not offered', async () => {
    const callOf = async () => (await client().chat.completions.create(ask)).choices[0].message.tool_calls?.[0];
    setMode(mode.toolArgsInvalid());
    expect(await callOf()).toMatchObject({ function: { name: 'get_weather', arguments: '{"days":3}' } });
    setMode(mode.toolArgsInvalid({ violation: 'wrong_type' }));
    expect(await callOf()).toMatchObject({ function: { name: 'get_weather', arguments: '{"city":0,"days":3}' } });
    setMode(mode.toolUnknown());
    expect(await callOf()).toMatchObject({ function: { name: 'undeclared_tool', arguments: ARGS } });
    setMode(mode.toolUnknown({ name: 'get_weather' }));
    expect(await callOf()).toMatchObject({ function: { name: 'get_weather_2', arguments: ARGS } });
  });

  it('stream faults count argument deltas as chunks: stream_cut ends after 2 without finish_reason, stream_error throws', async () => {
    setMode(mode.streamCut({ afterChunks: 2 }));
    let args = '';
    let finish: string | null = null;
    for await (const chunk of await client().chat.completions.create({ ...ask, stream: true })) {
      args += chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect({ args, finish }).toEqual({ args: '{"city":"Paris",', finish: null });
    expect(finishes(1)).toEqual([undefined]); // no finish sent, none logged
    setMode(mode.streamError({ afterChunks: 1 }));
    const error = await (async () => {
      for await (const chunk of await client().chat.completions.create({ ...ask, stream: true })) void chunk;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ type: 'server_error' });
  });

  it('a malformed tool is a provider-shaped 400 naming the field', async () => {
    const error = await client()
      .chat.completions.create({ ...ask, tools: [{ type: 'function', function: { name: 'bad name' } }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({
      status: 400,
      param: 'tools[0].function.name',
      message: "400 Invalid 'tools[0].function.name': expected a string matching ^[a-zA-Z0-9_-]{1,64}$.",
    });
  });
});

describe('official openai SDK, Responses API', () => {
  const client = () => new OpenAI({ baseURL, apiKey: 'test-key', maxRetries: 0 });
  const ask = { model: 'gpt-4o-mini', input: question, tools: responsesTools };

  it('answers with a function_call output item, plain and streamed with function_call_arguments deltas', async () => {
    const response = await client().responses.create(ask);
    expect(response.status).toBe('completed');
    expect(response.output).toEqual([
      {
        id: expect.stringMatching(/^fc_/),
        type: 'function_call',
        status: 'completed',
        arguments: ARGS,
        call_id: expect.stringMatching(/^call_/),
        name: 'get_weather',
      },
    ]);
    const types: string[] = [];
    let args = '';
    for await (const event of await client().responses.create({ ...ask, stream: true })) {
      types.push(event.type);
      if (event.type === 'response.function_call_arguments.delta') args += event.delta;
    }
    expect(args).toBe(ARGS);
    expect([...new Set(types)]).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
  });

  it('tool_args_truncated makes the response incomplete (max_output_tokens) with cut arguments', async () => {
    setMode(mode.toolArgsTruncated({ keepRatio: 0.25 }));
    const response = await client().responses.create(ask);
    expect(response).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      output: [{ type: 'function_call', status: 'incomplete', arguments: '{"city' }], // 6 of 25 characters
    });
    expect(finishes(1)).toEqual(['length']);
  });

  it('tool_args_invalid and tool_unknown reach the function_call item, plain and streamed', async () => {
    const cases = [
      [mode.toolArgsInvalid(), 'get_weather', '{"days":3}'],
      [mode.toolArgsInvalid({ violation: 'wrong_type' }), 'get_weather', '{"city":0,"days":3}'],
      [mode.toolUnknown(), 'undeclared_tool', ARGS],
    ] as const;
    for (const [fault, name, args] of cases) {
      setMode(fault);
      const response = await client().responses.create(ask);
      expect(response.output).toMatchObject([{ type: 'function_call', status: 'completed', name, arguments: args }]);
      let done: unknown = null;
      for await (const event of await client().responses.create({ ...ask, stream: true })) {
        if (event.type === 'response.output_item.done') done = event.item;
      }
      expect(done).toMatchObject({ type: 'function_call', name, arguments: args });
    }
  });

  it('answers in text after a function_call_output item', async () => {
    const response = await client().responses.create({
      ...ask,
      input: [
        { role: 'user', content: question },
        { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: ARGS },
        { type: 'function_call_output', call_id: 'call_1', output: '{"forecast":"sunny"}' },
      ],
    });
    expect(response.status).toBe('completed');
    expect(response.output[0]).toMatchObject({ type: 'message' });
  });
});

describe('Vercel AI SDK', () => {
  const provider = () => createOpenAI({ baseURL, apiKey: 'test-key' });
  const tools = {
    get_weather: tool({ description: 'Weather forecast for a city', inputSchema: z.object({ city: z.string(), days: z.number().int() }) }),
  };
  const models = [
    ['the Responses API model', () => provider()('gpt-4o-mini')],
    ['the .chat() model', () => provider().chat('gpt-4o-mini')],
  ] as const;

  it.each(models)('%s: generateText and streamText get the typed tool call', async (_label, model) => {
    const plain = await generateText({ model: model(), prompt: question, tools, maxRetries: 0 });
    expect(plain.finishReason).toBe('tool-calls');
    expect(plain.toolCalls).toMatchObject([{ toolName: 'get_weather', input: { city: 'Paris', days: 3 } }]);
    const streamed = streamText({ model: model(), prompt: question, tools, maxRetries: 0 });
    const calls: unknown[] = [];
    for await (const part of streamed.fullStream) if (part.type === 'tool-call') calls.push(part);
    expect(calls).toMatchObject([{ toolName: 'get_weather', input: { city: 'Paris', days: 3 } }]);
    expect(await streamed.finishReason).toBe('tool-calls');
  });

  it.each(models)('%s: each tool-call fault reaches the application as the SDK error it raises', async (_label, model) => {
    const cases = [
      [mode.toolArgsTruncated(), 'length', 'AI_InvalidToolInputError', 'AI_JSONParseError'],
      [mode.toolArgsInvalid(), 'tool-calls', 'AI_InvalidToolInputError', 'AI_TypeValidationError'],
      [mode.toolArgsInvalid({ violation: 'wrong_type' }), 'tool-calls', 'AI_InvalidToolInputError', 'AI_TypeValidationError'],
      [mode.toolUnknown(), 'tool-calls', 'AI_NoSuchToolError', undefined],
    ] as const;
    for (const [fault, finishReason, errorName, causeName] of cases) {
      setMode(fault);
      const plain = await generateText({ model: model(), prompt: question, tools, maxRetries: 0 });
      const call = plain.content.find((p) => p.type === 'tool-call');
      expect({ kind: fault.mode.kind, finishReason: plain.finishReason, invalid: call?.invalid, error: call?.error }).toMatchObject({
        kind: fault.mode.kind,
        finishReason,
        invalid: true,
        error: { name: errorName, ...(causeName ? { cause: { name: causeName } } : {}) },
      });
      const streamed = streamText({ model: model(), prompt: question, tools, maxRetries: 0 });
      const errors: string[] = [];
      for await (const part of streamed.fullStream) if (part.type === 'tool-error') errors.push(String(part.error));
      expect(errors).toHaveLength(1);
      expect(errors[0].startsWith(`${errorName}:`)).toBe(true);
      expect(await streamed.finishReason).toBe(finishReason);
    }
  });
});
