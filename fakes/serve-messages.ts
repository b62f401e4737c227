/**
 * The IPC messages the fakes child (`serve.ts`) sends to the harness.
 *
 * - `ready`: every fake and the control server listen; `fakes` maps each configured name to its URL and kind.
 * - `error`: the start failed (invalid config, unreadable dataset, ...); the child exits with code 1.
 */
export type FakesChildMessage =
  | { type: 'ready'; control_url: string; fakes: Record<string, { url: string; kind: 'model' | 'retrieval' | 'inventory' }> }
  | { type: 'error'; message: string };
