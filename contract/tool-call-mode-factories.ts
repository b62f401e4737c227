/**
 * The factories of the tool-call faults, spread into `mode` (mode-factories.ts):
 * `mode.toolArgsTruncated()`, `mode.toolArgsInvalid({ violation: 'wrong_type' })`, `mode.toolUnknown()`. camelCase options in, the wire mode (snake_case) out.
 */
import type { FakeMode, ModeFault } from './modes.ts';
import type { ToolArgViolation } from './tool-call-modes.ts';

/**
 * Builds the factories with the helpers of mode-factories.ts: `targeting` turns the common options (`rate`, and
 * whatever else every factory takes) into the wire's common fields; `defined` leaves undefined fields out.
 */
export function toolCallModeFactories<T extends { rate?: number }>(
  targeting: (o: T) => { rate: number },
  defined: <F extends Record<string, unknown>>(fields: F) => Partial<F>,
) {
  const modeFault = (mode: FakeMode): ModeFault => ({ kind: 'mode', mode });
  const common = (o: T | undefined) => targeting(o ?? ({} as T));
  return {
    /** A tool call's arguments are cut to `keepRatio` of their characters (default 0.5), with `finish_reason: "length"`. */
    toolArgsTruncated: (o?: T & { keepRatio?: number }): ModeFault =>
      modeFault({ kind: 'tool_args_truncated', ...common(o), ...defined({ keep_ratio: o?.keepRatio }) }),
    /** A tool call's arguments miss the first required field (`missing_required`, default) or give it another type (`wrong_type`). */
    toolArgsInvalid: (o?: T & { violation?: ToolArgViolation }): ModeFault =>
      modeFault({ kind: 'tool_args_invalid', ...common(o), ...defined({ violation: o?.violation }) }),
    /** The model calls a tool the request did not offer, named `name` (default `undeclared_tool`). */
    toolUnknown: (o?: T & { name?: string }): ModeFault => modeFault({ kind: 'tool_unknown', ...common(o), ...defined({ name: o?.name }) }),
  };
}
