/**
 * The one error class Shakedown throws on purpose: a stable `code` for programs, a message that says what
 * failed, why and what to do for people, and the CLI exit code to use when it ends a run.
 *
 * Shapes: `new ShakedownError('TOXIPROXY_UNAVAILABLE', 'No Toxiproxy server ...', { exitCode: 3, cause })`.
 * Defaults: `exitCode` 3 (environment problem).
 */
export class ShakedownError extends Error {
  code: string;
  exitCode: number;

  constructor(code: string, message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ShakedownError';
    this.code = code;
    this.exitCode = options.exitCode ?? 3;
  }
}
