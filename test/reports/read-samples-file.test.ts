import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSamplesFile } from '../../harness/results/read-samples-file.ts';
import { removeTempDirs, tempDir } from '../cli/helpers.ts';

// Temporary folders removed after the file's tests (issue 15: the suite left them behind).
const dir = () => tempDir('shakedown-samples-');
afterAll(removeTempDirs);

describe('readSamplesFile', () => {
  it('reads every line across 64 KiB chunk boundaries, keeping only the fields compare uses', () => {
    const file = join(dir(), 'samples.ndjson');
    const lines = Array.from({ length: 3000 }, (_, i) =>
      JSON.stringify({
        id: i + 1,
        start_ms: i,
        end_ms: i + 5,
        latency_ms: 5 + (i % 7),
        ttfb_ms: 1,
        status: 200,
        error_kind: null,
        bytes: 900,
        phase: i < 1500 ? 'baseline' : 'fault',
        reasons: ['x'.repeat(40)],
      }),
    );
    writeFileSync(file, `${lines.join('\n')}\n`);
    const samples = readSamplesFile(file)!;
    expect(samples).toHaveLength(3000);
    expect(samples[2999]).toEqual({ id: 3000, phase: 'fault', latency_ms: 5 + (2999 % 7), error_kind: null });
    expect(samples.filter((s) => s.phase === 'baseline')).toHaveLength(1500);
  });

  it('reads a last line without a newline and streamed fields, and says undefined for a missing file', () => {
    const d = dir();
    const file = join(d, 'samples.ndjson');
    writeFileSync(
      file,
      JSON.stringify({
        id: 1,
        phase: 'p',
        latency_ms: 3,
        error_kind: 'timeout',
        outcome: 'truncated',
        ttft_ms: null,
        itl_ms: 2,
        stream_aborted: false,
        dependency_calls: { model: 2 },
      }),
    );
    expect(readSamplesFile(file)).toEqual([
      {
        id: 1,
        phase: 'p',
        latency_ms: 3,
        error_kind: 'timeout',
        outcome: 'truncated',
        ttft_ms: null,
        itl_ms: 2,
        stream_aborted: false,
        dependency_calls: { model: 2 },
      },
    ]);
    expect(readSamplesFile(join(d, 'none.ndjson'))).toBeUndefined();
  });

  it('names the file and line of a malformed sample', () => {
    const file = join(dir(), 'samples.ndjson');
    writeFileSync(file, `${JSON.stringify({ id: 1, phase: 'p', latency_ms: 3 })}\n{"id": 2, "phase": "p"}\n`);
    expect(() => readSamplesFile(file, 'run/samples.ndjson')).toThrow(
      'run/samples.ndjson:2: a sample needs a numeric id, a phase and latency_ms',
    );
    writeFileSync(file, 'not json\n');
    expect(() => readSamplesFile(file, 'run/samples.ndjson')).toThrow(/^run\/samples\.ndjson:1: not valid JSON \(/);
  });
});
