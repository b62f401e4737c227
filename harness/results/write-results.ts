/**
 * Result files: a fresh run folder (never an earlier run's), atomic JSON writes (temporary file, then rename),
 * and the NDJSON sample stream.
 */
import {
  createWriteStream,
  mkdirSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
  accessSync,
  constants,
  type WriteStream,
} from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { ShakedownError } from '../errors.ts';

/**
 * Creates a folder and its missing parents one level at a time. (Node 24's `mkdirSync(..., { recursive: true })`
 * spins forever under /proc, blocking signals too; single-level mkdir fails at once with ENOENT/EACCES.)
 */
export function makeFolders(dir: string): void {
  const parts = resolve(dir).split(sep).filter(Boolean);
  let current = '';
  for (const part of parts) {
    current += `${sep}${part}`;
    try {
      mkdirSync(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/**
 * Creates `<root>/<scenario>/<timestamp>[-label]` and returns it; adds `-2`, `-3` if it exists.
 * @throws ShakedownError OUTPUT_NOT_WRITABLE (exit 2) when the folder cannot be created or written
 */
export function createRunFolder(root: string, scenario: string, label: string | undefined, now = new Date()): string {
  const stamp = now.toISOString().replace(/[:]/g, '').replace(/\..*/, '').replace('T', '-');
  const base = join(root, scenario, `${stamp}${label ? `-${label.replace(/[^a-z0-9_.-]+/gi, '_')}` : ''}`);
  let dir = base;
  try {
    makeFolders(dirname(base));
    // The run's own folder is created exclusively: two runs started in the same second (a CI matrix) never
    // share one, even when both checked before either created it.
    for (let n = 2; ; n++) {
      try {
        mkdirSync(dir);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n > 10_000) throw error;
        dir = `${base}-${n}`;
      }
    }
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new ShakedownError(
      'OUTPUT_NOT_WRITABLE',
      `Cannot write results under ${root}: ${(error as Error).message}. Pass --out with a writable folder.`,
      { exitCode: 2 },
    );
  }
  return dir;
}

/** Exit code of a run whose results, samples or reports could not be written (disk full, no permission). */
export const WRITE_FAILED_EXIT = 4;

/**
 * The error for a file that could not be written: what, where, why in words, and what to do.
 * @returns ShakedownError WRITE_FAILED (exit {@link WRITE_FAILED_EXIT})
 */
export function writeFailure(what: string, file: string, error: unknown, option = '--out'): ShakedownError {
  const e = error as NodeJS.ErrnoException;
  const why =
    e?.code === 'ENOSPC'
      ? 'no space left on the device'
      : e?.code === 'EDQUOT'
        ? 'disk quota exceeded'
        : e?.code === 'EACCES' || e?.code === 'EPERM'
          ? 'permission denied'
          : e?.code === 'EROFS'
            ? 'read-only file system'
            : (e?.message ?? String(error));
  return new ShakedownError(
    'WRITE_FAILED',
    `Cannot write ${what} ${file}: ${why}${e?.code ? ` (${e.code})` : ''}. Free space or pass ${option} with a writable ${option === '--out' ? 'folder' : 'path'}.`,
    { exitCode: WRITE_FAILED_EXIT, cause: error },
  );
}

/**
 * Writes JSON atomically: `file.tmp-<pid>` then rename, so a reader never sees half a file; on failure the
 * temporary file is removed and nothing replaces `file`.
 * @throws ShakedownError WRITE_FAILED (exit 4)
 */
export function writeJsonAtomic(file: string, value: unknown, what = 'results', option = '--out'): void {
  writeTextAtomic(file, `${JSON.stringify(value, null, 2)}\n`, what, option);
}

/**
 * Writes text atomically (reports), as writeJsonAtomic.
 * @throws ShakedownError WRITE_FAILED (exit 4)
 */
export function writeTextAtomic(file: string, text: string, what = 'file', option = '--out'): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    makeFolders(dirname(file));
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true }); // a failed write (disk full) leaves no temporary file behind
    throw writeFailure(what, file, error, option);
  }
}

export interface SampleWriter {
  write(record: unknown): void;
  close(): Promise<void>;
}

/** Lines are handed to the file stream in batches of this many characters, or every `SAMPLE_FLUSH_MS`. */
export const SAMPLE_BATCH_CHARS = 64 * 1024;
/** Longest a sample line waits in the batch: 100 ms. */
export const SAMPLE_FLUSH_MS = 100;

/**
 * The NDJSON sample stream. Lines are batched (at most `SAMPLE_BATCH_CHARS` or `SAMPLE_FLUSH_MS`) before they
 * reach the file stream: one stream write per sample cost ~4–5 µs of the load generator's event loop at 8,000
 * samples/s (B2 profile, bench/RESULTS.md). `close()` writes what is batched, then ends the file.
 *
 * A write that fails (disk full) stops the stream and cuts the file back to the end of the last batch written
 * whole, so it holds only complete lines; `close()` then rejects with ShakedownError WRITE_FAILED (exit 4).
 */
export function createSampleWriter(file: string): SampleWriter {
  const stream: WriteStream = createWriteStream(file, { flags: 'wx' });
  let failed: Error | undefined;
  let batch = '';
  let timer: NodeJS.Timeout | undefined;
  /** Bytes of the batches written whole: always a line boundary. */
  let committed = 0;
  let cut = false;
  /** True once this writer created the file: a file it failed to create (it existed: `wx`) is never touched. */
  let opened = false;
  stream.once('open', () => {
    opened = true;
  });
  const cutToLastLine = () => {
    if (cut || !opened) return;
    cut = true;
    try {
      truncateSync(file, committed);
    } catch (error) {
      failed = new Error(`${failed?.message}; and cutting the file back to its last whole line failed: ${(error as Error).message}`, {
        cause: failed,
      });
    }
  };
  stream.on('error', (e) => {
    failed ??= e;
  });
  const flush = () => {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (batch && !failed) {
      const bytes = Buffer.byteLength(batch);
      stream.write(batch, (error) => {
        if (error) failed ??= error;
        else committed += bytes;
      });
    }
    batch = '';
  };
  return {
    write(record) {
      if (failed) return;
      batch += `${JSON.stringify(record)}\n`;
      if (batch.length >= SAMPLE_BATCH_CHARS) flush();
      else timer ??= setTimeout(flush, SAMPLE_FLUSH_MS).unref();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        flush();
        const fail = (error: Error) => {
          const done = () => {
            // By 'close' the stream's own 'error' (ENOSPC) has been seen and wins over what end() reported for a
            // stream already destroyed by it (ERR_STREAM_DESTROYED).
            failed ??= error;
            cutToLastLine();
            reject(writeFailure('samples file', file, failed));
          };
          if (stream.closed) done();
          else stream.once('close', done);
        };
        if (failed) {
          fail(failed);
          return;
        }
        // end's callback gets the stream's error, which can come before the 'error' listener has run.
        stream.end((error?: Error | null) => ((error ?? failed) ? fail((error ?? failed)!) : resolve()));
      }),
  };
}
