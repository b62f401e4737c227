/**
 * How the CLI writes to a terminal: colour only on a terminal and never when `NO_COLOR` is set (non-empty,
 * https://no-color.org); `FORCE_COLOR` (non-empty, not `0`) turns it on for a pipe, e.g. a CI log that renders
 * ANSI. A live line is cut to the terminal's width, so a redraw never wraps onto a second line that `\r` cannot
 * reach.
 */
import { styleText } from 'node:util';

/** What the CLI knows of its standard output. */
export interface TerminalOut {
  write(text: string): void;
  isTTY?: boolean;
  /** Width in columns on a terminal (read at each use: it changes when the window is resized). */
  columns?: number;
  /** The environment colour is decided from; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Whether to write ANSI colours to `out`. */
export function useColor(out: TerminalOut): boolean {
  const env = out.env ?? process.env;
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return out.isTTY === true;
}

type Style = Parameters<typeof styleText>[0];

/** `style(text)` in colour when `out` takes colour, else the text unchanged. */
export function painter(out: TerminalOut): (style: Style, text: string) => string {
  const on = useColor(out);
  return (style, text) => (on ? styleText(style, text, { validateStream: false }) : text);
}

/** Colours by tone: good green, bad red, warn yellow (the run summary's verdicts). */
export function paintTone(out: TerminalOut): (tone: 'good' | 'bad' | 'warn', text: string) => string {
  const paint = painter(out);
  return (tone, text) => paint(tone === 'good' ? 'green' : tone === 'bad' ? 'red' : 'yellow', text);
}

/** Colours a suite outcome by its exit code: green passed, red SLO failed, yellow anything else. */
export function paintOutcome(out: TerminalOut): (code: number, text: string) => string {
  const paint = painter(out);
  return (code, text) => paint(code === 0 ? 'green' : code === 1 ? 'red' : 'yellow', text);
}

/**
 * Cuts a one-line status to fit `columns` (one column kept free: writing the last column makes some terminals
 * wrap at once). Characters are counted by code point; the status line is ASCII but for names from the scenario.
 */
export function fitLine(text: string, columns: number | undefined): string {
  if (!columns || columns < 2) return text;
  const chars = [...text];
  const room = columns - 1;
  return chars.length <= room ? text : `${chars.slice(0, room - 1).join('')}…`;
}
