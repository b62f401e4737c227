/**
 * Reads the tools a request offers, its tool choice and whether it ends with a tool result, for each API the
 * model fake serves. A malformed tool is a problem (`param`, `message`) the caller answers in its API's error shape.
 *
 * - Chat completions: `tools: [{type: "function", function: {name, description, parameters}}]` with `tool_choice`
 *   (`none`, `auto`, `required`, `{type: "function", function: {name}}`), or the legacy `functions: [{name,
 *   description, parameters}]` with `function_call` (`none`, `auto`, `{name}`); a tool result is a last message
 *   with role `tool` (or `function`).
 * - Responses API: `tools: [{type: "function", name, description, parameters}]` (other tool types are ignored),
 *   `tool_choice` (`none`, `auto`, `required`, `{type: "function", name}`); a tool result is a last input item of
 *   type `function_call_output`.
 * - Anthropic Messages: `tools: [{name, description, input_schema}]` (server tools with another `type` are
 *   ignored), `tool_choice` (`{type: "auto" | "any" | "none"}`, `{type: "tool", name}`); a tool result is a last
 *   user message holding a `tool_result` block.
 * @see https://platform.openai.com/docs/api-reference/chat/create#chat-create-tools
 * @see https://platform.openai.com/docs/api-reference/responses/create#responses-create-tools
 * @see https://docs.anthropic.com/en/api/messages
 */
import type { JsonSchema, OfferedTool, ToolChoice, ToolOffer } from './tool-calls.ts';

/** A request's tools, or the first problem with them, or null when it offers none. */
export type ToolOfferResult = { offer: ToolOffer; legacy: boolean } | { param: string; message: string } | null;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Text of a message content: a string, or the `text` of its text parts (`text`, `input_text`). */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((p) => isObject(p) && (p.type === 'text' || p.type === 'input_text') && typeof p.text === 'string')
    .map((p) => (p as { text: string }).text)
    .join('\n');
}

function lastUserText(messages: unknown[], isUser: (m: Record<string, unknown>) => boolean): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (isObject(m) && isUser(m)) {
      const text = textOf(m.content);
      if (text !== '') return text;
    }
  }
  return '';
}

/** Reads one tool's `name`, `description` and schema field, or the problem. */
function readTool(raw: unknown, at: string, schemaField: string): OfferedTool | { param: string; message: string } {
  if (!isObject(raw)) return { param: at, message: `Invalid type for '${at}': expected an object.` };
  if (typeof raw.name !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(raw.name)) {
    return { param: `${at}.name`, message: `Invalid '${at}.name': expected a string matching ^[a-zA-Z0-9_-]{1,64}$.` };
  }
  const schema = raw[schemaField];
  if (schema !== undefined && !isObject(schema)) {
    return { param: `${at}.${schemaField}`, message: `Invalid type for '${at}.${schemaField}': expected a JSON schema object.` };
  }
  return {
    name: raw.name,
    description: typeof raw.description === 'string' ? raw.description : '',
    parameters: (schema ?? {}) as JsonSchema,
  };
}

function readTools(
  list: unknown,
  param: string,
  pick: (raw: unknown, at: string) => OfferedTool | { param: string; message: string } | null,
): OfferedTool[] | { param: string; message: string } {
  if (!Array.isArray(list)) return { param, message: `Invalid type for '${param}': expected an array of tools.` };
  const tools: OfferedTool[] = [];
  for (const [i, raw] of list.entries()) {
    const tool = pick(raw, `${param}[${i}]`);
    if (tool === null) continue;
    if ('param' in tool) return tool;
    tools.push(tool);
  }
  return tools;
}

/** A forced tool must be offered. */
function checkChoice(choice: ToolChoice, tools: OfferedTool[], param: string): { param: string; message: string } | null {
  if (typeof choice === 'object' && !tools.some((t) => t.name === choice.name)) {
    return { param, message: `Invalid value for '${param}': tool '${choice.name}' is not among the tools offered.` };
  }
  return null;
}

/** Chat completions: `tools`/`tool_choice`, or the legacy `functions`/`function_call`. */
export function chatToolOffer(body: Record<string, unknown>): ToolOfferResult {
  const legacy = body.tools === undefined && body.functions !== undefined;
  const listed = legacy ? body.functions : body.tools;
  if (listed === undefined || listed === null) return null;
  const tools = legacy
    ? readTools(listed, 'functions', (raw, at) => readTool(raw, at, 'parameters'))
    : readTools(listed, 'tools', (raw, at) => {
        if (!isObject(raw)) return { param: at, message: `Invalid type for '${at}': expected an object.` };
        if (raw.type !== 'function') return null;
        return readTool(raw.function, `${at}.function`, 'parameters');
      });
  if ('param' in tools) return tools;
  if (tools.length === 0) return null;
  const param = legacy ? 'function_call' : 'tool_choice';
  const raw = body[param];
  let choice: ToolChoice = 'auto';
  if (raw === 'none' || raw === 'auto' || (raw === 'required' && !legacy)) choice = raw;
  else if (isObject(raw) && !legacy && isObject(raw.function) && typeof raw.function.name === 'string')
    choice = { name: raw.function.name };
  else if (isObject(raw) && legacy && typeof raw.name === 'string') choice = { name: raw.name };
  else if (raw !== undefined && raw !== null) return { param, message: `Invalid value for '${param}'.` };
  const problem = checkChoice(choice, tools, param);
  if (problem) return problem;
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const last = messages.at(-1);
  return {
    legacy,
    offer: {
      tools,
      choice,
      afterToolResult: isObject(last) && (last.role === 'tool' || last.role === 'function'),
      prompt: lastUserText(messages, (m) => m.role === 'user'),
    },
  };
}

/** Responses API: function `tools` and `tool_choice`. */
export function responsesToolOffer(body: Record<string, unknown>): ToolOfferResult {
  if (body.tools === undefined || body.tools === null) return null;
  const tools = readTools(body.tools, 'tools', (raw, at) => {
    if (!isObject(raw)) return { param: at, message: `Invalid type for '${at}': expected an object.` };
    return raw.type === 'function' ? readTool(raw, at, 'parameters') : null;
  });
  if ('param' in tools) return tools;
  if (tools.length === 0) return null;
  const raw = body.tool_choice;
  let choice: ToolChoice = 'auto';
  if (raw === 'none' || raw === 'auto' || raw === 'required') choice = raw;
  else if (isObject(raw) && raw.type === 'function' && typeof raw.name === 'string') choice = { name: raw.name };
  else if (raw !== undefined && raw !== null) return { param: 'tool_choice', message: "Invalid value for 'tool_choice'." };
  const problem = checkChoice(choice, tools, 'tool_choice');
  if (problem) return problem;
  const input = typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : Array.isArray(body.input) ? body.input : [];
  const last = input.at(-1);
  return {
    legacy: false,
    offer: {
      tools,
      choice,
      afterToolResult: isObject(last) && last.type === 'function_call_output',
      prompt: lastUserText(input, (m) => m.role === 'user' && (m.type === undefined || m.type === 'message')),
    },
  };
}

/** Anthropic Messages: custom `tools` and `tool_choice`. */
export function anthropicToolOffer(body: Record<string, unknown>): ToolOfferResult {
  if (body.tools === undefined || body.tools === null) return null;
  const tools = readTools(body.tools, 'tools', (raw, at) => {
    if (!isObject(raw)) return { param: at, message: `${at}: Input should be an object` };
    return raw.type === undefined || raw.type === 'custom' ? readTool(raw, at, 'input_schema') : null;
  });
  if ('param' in tools) return tools;
  if (tools.length === 0) return null;
  const raw = body.tool_choice;
  let choice: ToolChoice = 'auto';
  if (isObject(raw) && (raw.type === 'auto' || raw.type === 'none')) choice = raw.type;
  else if (isObject(raw) && raw.type === 'any') choice = 'required';
  else if (isObject(raw) && raw.type === 'tool' && typeof raw.name === 'string') choice = { name: raw.name };
  else if (raw !== undefined && raw !== null) {
    return {
      param: 'tool_choice',
      message: "tool_choice: Input tag does not match any of the expected tags: 'auto', 'any', 'tool', 'none'",
    };
  }
  const problem = checkChoice(choice, tools, 'tool_choice');
  if (problem) return problem;
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const last = messages.at(-1);
  const afterToolResult =
    isObject(last) &&
    last.role === 'user' &&
    Array.isArray(last.content) &&
    last.content.some((b) => isObject(b) && b.type === 'tool_result');
  return {
    legacy: false,
    offer: { tools, choice, afterToolResult, prompt: lastUserText(messages, (m) => m.role === 'user') },
  };
}
