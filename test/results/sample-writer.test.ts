/**
 * The NDJSON sample stream batches lines (write-results.ts): every line arrives, in order, whether the batch
 * filled up, the flush timer fired, or close() wrote the rest.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SAMPLE_BATCH_CHARS, SAMPLE_FLUSH_MS, createSampleWriter } from '../../harness/results/write-results.ts';

const dir = mkdtempSync(join(tmpdir(), 'shakedown-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: number });

describe('the sample writer', () => {
  it('writes every record once, in order, across several full batches and the remainder at close', async () => {
    const file = join(dir, 'many.ndjson');
    const writer = createSampleWriter(file);
    const pad = 'x'.repeat(200);
    const count = Math.ceil((3 * SAMPLE_BATCH_CHARS) / 220) + 17;
    for (let id = 1; id <= count; id++) writer.write({ id, pad });
    await writer.close();
    expect(lines(file).map((r) => r.id)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
  });

  it('hands a lone record to the file within the flush interval, before close', async () => {
    const file = join(dir, 'lone.ndjson');
    const writer = createSampleWriter(file);
    const text = () => {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return '';
      }
    }; // opened asynchronously
    writer.write({ id: 1 });
    expect(text()).toBe('');
    // Bounded wait: the flush interval, then the stream's own write, polled for at most 2 s.
    await new Promise((r) => setTimeout(r, SAMPLE_FLUSH_MS));
    const until = Date.now() + 2000;
    while (text() === '' && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(lines(file)).toEqual([{ id: 1 }]);
    await writer.close();
    expect(lines(file)).toEqual([{ id: 1 }]);
  });

  it('refuses to write over an existing file (a run folder is never reused)', async () => {
    const file = join(dir, 'lone.ndjson');
    const writer = createSampleWriter(file);
    writer.write({ id: 2 });
    await expect(writer.close()).rejects.toThrow(/EEXIST/);
    expect(lines(file)).toEqual([{ id: 1 }]);
  });
});
