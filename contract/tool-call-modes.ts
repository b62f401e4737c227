/**
 * The model fake's tool-call faults and the stream error event: their zod schemas, defaults and limits. Split from
 * `modes.ts` (which puts them in the one `fakeModeSchema` union) to keep one idea per file.
 *
 * Tool-call modes apply only to a request the model fake answers with a tool call (it offers tools and the last
 * message is not a tool result; see fakes/tool-calls.ts); other requests never roll them.
 */
import { z } from 'zod';

/** How `tool_args_invalid` breaks the arguments against the tool's JSON schema. */
export const TOOL_ARG_VIOLATIONS = ['missing_required', 'wrong_type'] as const;
export type ToolArgViolation = (typeof TOOL_ARG_VIOLATIONS)[number];

/** A tool name as the OpenAI and Anthropic APIs accept it. */
const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Built by `modes.ts` with the fields every mode has (`rate`, `paths`). */
export function toolCallModeSchemas<B extends z.ZodRawShape>(base: B) {
  return {
    /**
     * The tool call's arguments (JSON text) are cut to `keep_ratio` (in (0, 1), default 0.5) of their characters,
     * with `finish_reason: "length"` (Responses: `incomplete`; Anthropic: `stop_reason: "max_tokens"`).
     */
    toolArgsTruncated: z.strictObject({
      kind: z.literal('tool_args_truncated'),
      ...base,
      keep_ratio: z.number({ error: 'must be a number greater than 0 and less than 1' }).gt(0).lt(1).optional(),
    }),
    /**
     * The arguments are complete JSON that violates the tool's schema: `missing_required` (default) leaves out the
     * first required field, `wrong_type` gives it a value of another type.
     */
    toolArgsInvalid: z.strictObject({
      kind: z.literal('tool_args_invalid'),
      ...base,
      violation: z.enum(TOOL_ARG_VIOLATIONS, { error: `must be one of ${TOOL_ARG_VIOLATIONS.join(', ')}` }).optional(),
    }),
    /** The model calls a tool the request did not offer, named `name` (default `undeclared_tool`). */
    toolUnknown: z.strictObject({
      kind: z.literal('tool_unknown'),
      ...base,
      name: z.string({ error: 'must be a tool name matching [A-Za-z0-9_-]{1,64}' }).regex(TOOL_NAME).optional(),
    }),
  };
}

/** Defaults of the optional fields the model fake fills in. */
export const TOOL_CALL_MODE_DEFAULTS = Object.freeze({
  tool_args_truncated: Object.freeze({ keep_ratio: 0.5 }),
  tool_args_invalid: Object.freeze({ violation: 'missing_required' as ToolArgViolation }),
  tool_unknown: Object.freeze({ name: 'undeclared_tool' }),
  stream_error: Object.freeze({
    openai: Object.freeze({ type: 'server_error', message: 'The server had an error while processing your request. Sorry about that!' }),
    anthropic: Object.freeze({ type: 'overloaded_error', message: 'Overloaded' }),
  }),
});

/** The tool-call mode kinds. */
export const TOOL_CALL_MODE_KINDS = ['tool_args_truncated', 'tool_args_invalid', 'tool_unknown'] as const;
