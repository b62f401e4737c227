/**
 * Tool calls of the model fake: whether a request gets one, which tool, which arguments, and the tool-call faults.
 * The same for chat completions (`tools` and the legacy `functions`), the Responses API and Anthropic (see
 * `tool-offers.ts` for how each API's request is read).
 *
 * The rule (deterministic, from the prompt and the tools' JSON schemas):
 * - A call is made when the request offers tools, `tool_choice` is not `none`, and the last message is not a tool
 *   result (after a tool result the model answers in text, as without tools).
 * - Which tool: the named one when `tool_choice` names it; else the offered tool sharing the most words (3+ letters,
 *   not stop words) of the last user message with its name (split at `_`, `-` and camelCase) and description, the
 *   first offered among equals. With `auto`, no call when no tool shares a word (the model answers in text); with
 *   `required` (Anthropic `any`), the first tool then.
 * - Arguments: the required fields of the tool's `parameters` (`input_schema`), in schema order; optional fields are
 *   left out. `enum`: the first value the prompt mentions, else the first; `const`: it; string: the n-th string field
 *   takes the n-th candidate of [quoted texts, runs of capitalised words not starting a sentence, the last user
 *   message], the last candidate when there are fewer, cut to `maxLength`; number/integer: the n-th number of the
 *   prompt (integers rounded) else `minimum` else 1, kept in [minimum, maximum]; boolean: true; array: one item
 *   (`minItems` items, at most 16); object: its own required fields; null: null. A union type takes its first member.
 * Faults: `tool_args_truncated` cuts the arguments' JSON text to `keep_ratio` of its characters (at least 1, at most
 * all but 1) and the call ends as cut (`finish_reason: "length"`); `tool_args_invalid` drops the first required
 * field (`missing_required`) or gives it a value of another type (`wrong_type`: string → 0, number → its text,
 * boolean → `"true"`, array → `{}`, object → `"object"`); with no required field the arguments are `[]`;
 * `tool_unknown` calls `name` (default `undeclared_tool`, `_2`, `_3`... appended while an offered tool has it)
 * with the arguments the chosen tool would get.
 */
import { type FakeMode, TOOL_CALL_MODE_DEFAULTS, TOOL_CALL_MODE_KINDS, type ModeKind } from '../contract/index.ts';
import type { AppliedMode } from './fake-runtime.ts';

/** A JSON schema, as a request sends it. */
export type JsonSchema = Record<string, unknown>;

/** A function tool a request offers. */
export interface OfferedTool {
  name: string;
  description: string;
  /** The JSON schema of its arguments (`parameters`, Anthropic `input_schema`). */
  parameters: JsonSchema;
}

/** `tool_choice`, across the APIs: `required` is also Anthropic's `any`; `{ name }` forces one tool. */
export type ToolChoice = 'auto' | 'required' | 'none' | { name: string };

/** What a request offers and asks, read by `tool-offers.ts`. */
export interface ToolOffer {
  tools: OfferedTool[];
  choice: ToolChoice;
  /** The last message (input item) is a tool result: the model answers in text. */
  afterToolResult: boolean;
  /** Text of the last user message. */
  prompt: string;
}

/** The call the model makes. */
export interface ToolCall {
  name: string;
  /** The arguments as sent: JSON text, cut when `truncated`. */
  arguments: string;
  /** The arguments as an object, for an API that sends them parsed (Anthropic `input`): only whole fields when cut. */
  input: unknown;
  /** Cut by `tool_args_truncated`: `finish_reason: "length"`. */
  truncated: boolean;
}

/** Mode kinds a tool call applies. */
export const TOOL_CALL_FAULT_KINDS: readonly ModeKind[] = TOOL_CALL_MODE_KINDS;

const STOP_WORDS = new Set(
  'the and for with what which who whom whose when where why how this that these those from into about are was were is be been has have had does did can could should would will shall may might must not you your yours our ours their them they its it please tell give show get me my mine any all some one'.split(
    ' ',
  ),
);

/** Lower-case words of 3+ letters that are not stop words; camelCase and `_`/`-` split. */
export function contentWords(text: string): Set<string> {
  const spaced = text.replace(/([a-z0-9])([A-Z])/g, '$1 $2');
  return new Set((spaced.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((w) => w.length >= 3 && !STOP_WORDS.has(w)));
}

/** The tool the model calls for `offer`, or null when it answers in text (see the rule above). */
export function chooseTool(offer: ToolOffer): OfferedTool | null {
  const { tools, choice } = offer;
  if (tools.length === 0 || choice === 'none' || offer.afterToolResult) return null;
  if (typeof choice === 'object') return tools.find((t) => t.name === choice.name) ?? null;
  const asked = contentWords(offer.prompt);
  let best: OfferedTool | null = null;
  let bestScore = 0;
  for (const tool of tools) {
    const own = contentWords(`${tool.name} ${tool.description}`);
    let score = 0;
    for (const word of own) if (asked.has(word)) score++;
    if (score > bestScore) [best, bestScore] = [tool, score];
  }
  return best ?? (choice === 'required' ? tools[0] : null);
}

const QUOTED = /"([^"\n]+)"|“([^”\n]+)”|'([^'\n]{2,})'/g;

/** String candidates of a prompt, in the rule's order; never empty. */
function stringCandidates(prompt: string): string[] {
  const quoted = [...prompt.matchAll(QUOTED)].map((m) => (m[1] ?? m[2] ?? m[3]).trim()).filter(Boolean);
  const names: string[] = [];
  for (const sentence of prompt.split(/(?<=[.!?])\s+|\n+/)) {
    const words = sentence.trim().split(/\s+/).slice(1);
    let run: string[] = [];
    for (const raw of [...words, '']) {
      const word = raw.replace(/[^\p{L}\p{N}'-]+$/u, '');
      if (/^\p{Lu}[\p{L}'-]+$/u.test(word)) run.push(word);
      if (!/^\p{Lu}[\p{L}'-]+$/u.test(word) || word !== raw) {
        if (run.length > 0) names.push(run.join(' '));
        run = [];
      }
    }
  }
  const lines = prompt
    .split('\n')
    .map((l) => l.trim().replace(/\s+/g, ' '))
    .filter(Boolean);
  return [...quoted, ...names, lines.at(-1) ?? prompt.trim()];
}

/** Most items an array argument gets, whatever its `minItems` (a schema asking for a billion must not hang the fake). */
const MAX_ITEMS = 16;

const asNumber = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The first type a schema names (`type`, a `type` array, the first of `anyOf`/`oneOf`), or undefined. */
function typeOf(schema: JsonSchema): { type: string | undefined; schema: JsonSchema } {
  const union = (schema.anyOf ?? schema.oneOf) as unknown;
  if (schema.type === undefined && Array.isArray(union) && union.length > 0 && typeof union[0] === 'object') {
    return typeOf(union[0] as JsonSchema);
  }
  const type = Array.isArray(schema.type) ? (schema.type.find((t) => t !== 'null') ?? schema.type[0]) : schema.type;
  return { type: typeof type === 'string' ? type : undefined, schema };
}

/** Fills a schema's value from the prompt; `counters` hands out the n-th string and number candidates. */
function fillValue(schema: JsonSchema, prompt: string, counters: { strings: number; numbers: number }): unknown {
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    const lower = prompt.toLowerCase();
    return schema.enum.find((v) => lower.includes(String(v).toLowerCase())) ?? schema.enum[0];
  }
  const { type, schema: s } = typeOf(schema);
  if (type === 'number' || type === 'integer') {
    const numbers = (prompt.match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number);
    const min = asNumber(s.minimum);
    const max = asNumber(s.maximum);
    let value = numbers[counters.numbers++] ?? min ?? 1;
    if (type === 'integer') value = Math.round(value);
    if (min !== undefined && value < min) value = min;
    if (max !== undefined && value > max) value = max;
    return value;
  }
  if (type === 'boolean') return true;
  if (type === 'null') return null;
  if (type === 'array') {
    const items = s.items !== null && typeof s.items === 'object' && !Array.isArray(s.items) ? (s.items as JsonSchema) : {};
    const count = Math.min(MAX_ITEMS, Math.max(1, Math.floor(asNumber(s.minItems) ?? 1)));
    return Array.from({ length: count }, () => fillValue(items, prompt, counters));
  }
  if (type === 'object' || (type === undefined && s.properties !== undefined)) return toolArguments(s, prompt, counters);
  const candidates = stringCandidates(prompt);
  const text = candidates[Math.min(counters.strings++, candidates.length - 1)];
  const maxLength = asNumber(s.maxLength);
  return maxLength !== undefined ? text.slice(0, Math.max(0, maxLength)) : text;
}

/** The required fields of an object schema, in `properties` order then `required` order. */
export function requiredFields(schema: JsonSchema): string[] {
  const required = Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : [];
  const properties = schema.properties !== null && typeof schema.properties === 'object' ? Object.keys(schema.properties) : [];
  return [...properties.filter((p) => required.includes(p)), ...required.filter((r) => !properties.includes(r))];
}

/** The arguments of a call to a tool with `schema`, filled from `prompt` by the rule above. */
export function toolArguments(schema: JsonSchema, prompt: string, counters = { strings: 0, numbers: 0 }): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const out: Record<string, unknown> = {};
  for (const field of requiredFields(schema)) {
    const property = properties[field];
    out[field] = fillValue(property !== null && typeof property === 'object' ? property : {}, prompt, counters);
  }
  return out;
}

/** A value of another JSON type than `value`, for `wrong_type`. */
function wrongTyped(value: unknown): unknown {
  if (typeof value === 'string') return 0;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return {};
  if (value !== null && typeof value === 'object') return 'object';
  return 0;
}

/** The object of the whole `key: value` pairs of `args` whose JSON fits in the first `length` characters. */
function wholeFieldsWithin(args: Record<string, unknown>, length: number): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    const next = { ...kept, [key]: value };
    if (JSON.stringify(next).length - 1 > length) break;
    kept[key] = value;
  }
  return kept;
}

/** The call the model makes to `tool` for `offer`, with the applied tool-call fault if any. */
export function toolCallFor(offer: ToolOffer, tool: OfferedTool, applied: AppliedMode | null): ToolCall {
  const args = toolArguments(tool.parameters, offer.prompt);
  const mode: FakeMode | undefined = applied?.mode;
  if (mode?.kind === 'tool_args_truncated') {
    const text = JSON.stringify(args);
    const ratio = mode.keep_ratio ?? TOOL_CALL_MODE_DEFAULTS.tool_args_truncated.keep_ratio;
    const length = Math.min(text.length - 1, Math.max(1, Math.floor(text.length * ratio)));
    return { name: tool.name, arguments: text.slice(0, length), input: wholeFieldsWithin(args, length), truncated: true };
  }
  if (mode?.kind === 'tool_args_invalid') {
    const [first] = requiredFields(tool.parameters);
    const violation = mode.violation ?? TOOL_CALL_MODE_DEFAULTS.tool_args_invalid.violation;
    let broken: unknown = [];
    if (first !== undefined) {
      const { [first]: value, ...rest } = args;
      broken = violation === 'missing_required' ? rest : { ...args, [first]: wrongTyped(value) };
    }
    return { name: tool.name, arguments: JSON.stringify(broken), input: broken, truncated: false };
  }
  let name = tool.name;
  if (mode?.kind === 'tool_unknown') {
    const wanted = mode.name ?? TOOL_CALL_MODE_DEFAULTS.tool_unknown.name;
    const offered = new Set(offer.tools.map((t) => t.name));
    name = wanted;
    for (let n = 2; offered.has(name); n++) name = `${wanted}_${n}`;
  }
  return { name, arguments: JSON.stringify(args), input: args, truncated: false };
}

/** Splits a call's arguments text into stream deltas of at most `size` characters (none for empty text). */
export function argumentDeltas(text: string, size = 8): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
