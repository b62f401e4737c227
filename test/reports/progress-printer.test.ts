import { describe, expect, it } from 'vitest';
import { activeFaults, createProgressPrinter } from '../../harness/cli/progress-printer.ts';

function printed(quiet: boolean): string {
  let text = '';
  const printer = createProgressPrinter({ write: (t) => (text += t), isTTY: false }, 1000, quiet);
  printer.onEvent({ type: 'info', message: 'SUT started (pid 7)' });
  printer.onEvent({ type: 'notice', message: 'cleaned up after run 0123456789ab' });
  printer.done();
  return text;
}

describe('progress printer', () => {
  it('prints info and notice lines; with quiet, only the notice', () => {
    expect(printed(false)).toBe('  SUT started (pid 7)\n  cleaned up after run 0123456789ab\n');
    expect(printed(true)).toBe('  cleaned up after run 0123456789ab\n');
  });

  it("names the faults applied; in a fault phase before its fault's applied line, 'applying', never '-'", () => {
    expect(activeFaults('model-latency', ['model-latency'])).toBe('model-latency');
    expect(activeFaults('model-latency', [])).toBe('applying');
    expect(activeFaults('baseline', [])).toBe('-');
    expect(activeFaults('recovery', [])).toBe('-');
  });
});
