import type { TerminalOut } from './terminal-style.ts';

/** What the CLI writes to and reads from (so tests drive it in-process), and its exit codes (main.ts lists their meaning). */
export interface CliIO {
  /** On a terminal: `isTTY` and `columns` (live progress, colour); `env` decides colour (NO_COLOR). */
  stdout: TerminalOut;
  stderr: { write(text: string): void };
  cwd: string;
  /** Aborted on the first Ctrl-C / SIGTERM (bin.ts wires the signals). */
  signal: AbortSignal;
}

export const EXIT = Object.freeze({ ok: 0, sloFailed: 1, usage: 2, infrastructure: 3, writeFailed: 4, interrupted: 130 });
