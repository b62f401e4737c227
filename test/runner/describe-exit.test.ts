import { describe, expect, it } from 'vitest';
import { describeExit } from '../../harness/runner/sut-process.ts';

describe('describeExit', () => {
  it('quotes the last non-blank lines of stderr, else stdout, and says when nothing was printed', () => {
    expect(describeExit('it', { code: 1, signal: null }, { stdout: 'ignored', stderr: 'first\r\n\n  \nlast\n\n' })).toBe(
      'it exited with code 1; the end of its output:\n  | first\n  | last',
    );
    expect(describeExit('it', { code: null, signal: 'SIGKILL' }, { stdout: 'only stdout\n', stderr: '  \n' })).toBe(
      'it was killed by SIGKILL; the end of its output:\n  | only stdout',
    );
    expect(describeExit('The SUT', { code: 0, signal: null }, { stdout: '\n', stderr: '' })).toBe(
      'The SUT exited with code 0 and printed nothing',
    );
    const many = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n');
    expect(describeExit('it', { code: 2, signal: null }, { stdout: '', stderr: many }).split('\n').slice(1)).toEqual(
      Array.from({ length: 15 }, (_, i) => `  | line ${i + 6}`),
    );
  });
});
