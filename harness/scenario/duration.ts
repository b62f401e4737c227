/**
 * Durations in scenarios are written as `'30s'`, `'500ms'`, `'2m'`, `'1h'`, `'1m30s'` or as a number of
 * milliseconds. They are normalized once, at validation, to milliseconds. A string without a unit (`'3'`) is
 * refused: a first-time user meant 3 s and got 3 ms (`unitlessDuration` names it in the message).
 */
export type Duration = string | number;

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;

/**
 * Parses a duration to milliseconds.
 * @returns the duration in ms, or `undefined` when the text is not a duration (no throw: validation reports it).
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (unitlessDuration(text)) return undefined;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const start = PART.lastIndex;
    const match = PART.exec(text);
    if (!match || match.index !== start) return undefined;
    total += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  }
  return total;
}

/** Whether `value` is a string of digits without a unit (`'3'`, `'1.5'`): refused, with this hint. */
export function unitlessDuration(value: unknown): boolean {
  return typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim());
}

/** The hint for a unitless duration string. */
export function unitlessHint(value: string): string {
  const n = value.trim();
  return `'${n}' has no unit: write '${n}s' for seconds or '${n}ms' for milliseconds (a number without quotes, ${n}, is milliseconds)`;
}

/** Formats milliseconds for people: `1500` → `1.5s`, `90000` → `1m30s`, `250` → `250ms`. */
export function formatDuration(ms: number): string {
  if (Math.round(ms) < 1000) return `${Math.round(ms)}ms`;
  // Round first, then split, so a value just under a unit carries over (59 999 ms → 1m, not 60s; 119 500 → 2m, not 1m60s).
  const tenths = Math.round(ms / 100);
  if (tenths < 600) return `${tenths / 10}s`;
  const total_s = Math.round(ms / 1000);
  const minutes = Math.floor(total_s / 60);
  const seconds = total_s % 60;
  return seconds === 0 ? `${minutes}m` : `${minutes}m${seconds}s`;
}
