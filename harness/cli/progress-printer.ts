/**
 * Live progress while a run goes: on a terminal, one status line redrawn each second, cut to the terminal's
 * width so that it never wraps; elsewhere (CI, pipes), a plain line every 5 seconds. Fault and info events
 * always print as their own lines; a failed fault is red when colour is on (terminal-style.ts).
 */
import type { RunEvent } from '../runner/run-scenario.ts';
import { fitLine, painter, type TerminalOut } from './terminal-style.ts';

export interface ProgressPrinter {
  onEvent(event: RunEvent): void;
  done(): void;
}

export function createProgressPrinter(out: TerminalOut, duration_ms: number, quiet = false): ProgressPrinter {
  const paint = painter(out);
  let statusShown = false;
  let lastPlain = -Infinity;
  const clear = () => {
    if (statusShown) {
      out.write('\r\x1b[2K');
      statusShown = false;
    }
  };
  const line = (text: string) => {
    clear();
    out.write(`${text}\n`);
  };
  return {
    onEvent(event) {
      if (event.type === 'info') {
        if (!quiet) line(`  ${event.message}`);
        return;
      }
      // Notices (a dead run's leftovers cleaned up, no reaper) print even with --quiet.
      if (event.type === 'notice') {
        line(`  ${event.message}`);
        return;
      }
      if (event.type === 'fault') {
        const e = event.event;
        const when = `${(e.t_ms / 1000).toFixed(3)}s`;
        line(
          e.type === 'failed'
            ? `  [${when}] fault ${e.fault.name} ${paint('red', 'FAILED')}: ${e.error}`
            : `  [${when}] fault ${e.fault.name} ${e.type} on ${e.fault.on}: ${e.fault.description}`,
        );
        return;
      }
      if (quiet) return;
      const p = event.progress;
      const left = Math.max(0, (duration_ms - p.elapsed_ms) / 1000);
      const text = `  [${(p.elapsed_ms / 1000).toFixed(0).padStart(4)}s, ${left.toFixed(0)}s left] ${event.phase.padEnd(16)} ${p.rps.toFixed(1).padStart(7)} req/s  errors ${(p.error_rate * 100).toFixed(1).padStart(5)}%  p95 ${p.p95_ms === null ? '-' : `${Math.round(p.p95_ms)}ms`}  faults: ${activeFaults(event.phase, event.active)}`;
      if (out.isTTY) {
        out.write(`\r\x1b[2K${fitLine(text, out.columns)}`);
        statusShown = true;
      } else if (p.elapsed_ms - lastPlain >= 4999) {
        lastPlain = p.elapsed_ms;
        out.write(`${text}\n`);
      }
    },
    done: clear,
  };
}

/**
 * The faults a progress line names: those applied; in a fault phase before its fault's "applied" line (the
 * Toxiproxy call still under way), `applying`, not `-` (which would read as a fault that never came).
 */
export function activeFaults(phase: string, active: readonly string[]): string {
  if (active.length) return active.join(', ');
  return phase === 'baseline' || phase === 'recovery' ? '-' : 'applying';
}
