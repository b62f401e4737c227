/**
 * Reads a run's `samples.ndjson` for `compare`, streaming: 64 KiB at a time, keeping only the fields the
 * request-level tests use (reports/compare-runs.ts `CompareSample`), so memory stays at one slim record per
 * request whatever the file's size. Synchronous, like the rest of the compare command.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { CompareSample } from './result-types.ts';
import { ShakedownError } from '../errors.ts';

const CHUNK_BYTES = 64 * 1024;

function slim(line: string, file: string, lineNo: number): CompareSample {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(line) as Record<string, unknown>;
  } catch (error) {
    throw new ShakedownError('BAD_SAMPLES_FILE', `${file}:${lineNo}: not valid JSON (${(error as Error).message})`, { exitCode: 2 });
  }
  if (typeof v.id !== 'number' || typeof v.phase !== 'string' || typeof v.latency_ms !== 'number')
    throw new ShakedownError('BAD_SAMPLES_FILE', `${file}:${lineNo}: a sample needs a numeric id, a phase and latency_ms`, { exitCode: 2 });
  const s: CompareSample = {
    id: v.id,
    phase: v.phase,
    latency_ms: v.latency_ms,
    error_kind: (v.error_kind ?? null) as CompareSample['error_kind'],
  };
  if (typeof v.outcome === 'string') s.outcome = v.outcome as CompareSample['outcome'];
  if (typeof v.quality === 'number') s.quality = v.quality;
  if (typeof v.ttft_ms === 'number' || v.ttft_ms === null) s.ttft_ms = v.ttft_ms;
  if (typeof v.itl_ms === 'number' || v.itl_ms === null) s.itl_ms = v.itl_ms;
  if (typeof v.stream_aborted === 'boolean') s.stream_aborted = v.stream_aborted;
  if (v.dependency_calls && typeof v.dependency_calls === 'object') s.dependency_calls = v.dependency_calls as Record<string, number>;
  return s;
}

/**
 * @param path the samples file; `display` names it in messages
 * @returns the samples, or undefined when the file does not exist (compare then tests over 1-second buckets)
 * @throws ShakedownError BAD_SAMPLES_FILE (exit 2) naming the file and line of a malformed sample
 */
export function readSamplesFile(path: string, display = path): CompareSample[] | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ShakedownError('BAD_SAMPLES_FILE', `${display}: cannot be read (${(error as Error).message})`, { exitCode: 2 });
  }
  const out: CompareSample[] = [];
  const buffer = Buffer.alloc(CHUNK_BYTES);
  const decoder = new TextDecoder();
  let rest = '';
  let lineNo = 0;
  try {
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) {
      const lines = (rest + decoder.decode(buffer.subarray(0, n), { stream: true })).split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        lineNo++;
        if (line.trim()) out.push(slim(line, display, lineNo));
      }
    }
    rest += decoder.decode();
    if (rest.trim()) out.push(slim(rest, display, lineNo + 1));
  } finally {
    closeSync(fd);
  }
  return out;
}
