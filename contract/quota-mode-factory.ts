/**
 * `mode.quota({ rpm, tpm, windowMs, paths })`: the model fake's per-key quota as a timed fault (contract/fake-extensions.ts).
 */
import type { FakeMode } from './modes.ts';

/** Options of `mode.quota()`, camelCase; out comes the wire mode `{ kind: 'quota', rate: 1, rpm, tpm, window_ms, paths }`. */
export interface QuotaModeOptions {
  /** Requests per window per API key. */
  rpm?: number;
  /** Tokens per window per API key. */
  tpm?: number;
  /** Window length, ms; default 60,000. */
  windowMs?: number;
  /** Paths the quota counts; default every answering path of the model fake. */
  paths?: string[];
}

export function quotaMode(o: QuotaModeOptions): { kind: 'mode'; mode: FakeMode } {
  const { rpm, tpm, windowMs, paths } = o;
  const mode = {
    kind: 'quota',
    rate: 1,
    ...(rpm !== undefined ? { rpm } : {}),
    ...(tpm !== undefined ? { tpm } : {}),
    ...(windowMs !== undefined ? { window_ms: windowMs } : {}),
    ...(paths !== undefined ? { paths } : {}),
  } as FakeMode;
  return { kind: 'mode', mode };
}
