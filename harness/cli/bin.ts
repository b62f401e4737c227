#!/usr/bin/env -S node --max-semi-space-size=16 --heap-growing-percent=50
/**
 * The `shakedown` executable. Wires signals: the first SIGINT/SIGTERM/SIGHUP (a closed terminal) aborts the run
 * (teardown runs, partial results are written, exit 130); a second one forces a fast exit that still kills every process group the
 * harness started (which stops its own Toxiproxy server with all proxies and toxics) and deletes the run's
 * proxies on a server it did not start (TOXIPROXY_URL), bounded to 1.5 s; a third one exits at once.
 */
import module from 'node:module';

// The oldest Node this package runs on (package.json `engines.node`; test/cli/node-version.test.ts keeps them
// equal): checked before anything newer is loaded, so an older Node gets one line instead of a stack trace from
// a missing API (fs.globSync and type stripping came in Node 22).
const NODE_MIN = '22.18';
const [major, minor] = process.versions.node.split('.').map(Number);
const [needMajor, needMinor] = NODE_MIN.split('.').map(Number);
if (major < needMajor || (major === needMajor && minor < needMinor)) {
  process.stderr.write(
    `shakedown: needs Node.js ${NODE_MIN} or newer; this is ${process.version} (${process.execPath}). Put a newer node first on PATH (Node 24 LTS: https://nodejs.org, or nvm install 24) and run again.\n`,
  );
  process.exit(2);
}

// Node's on-disk compile cache (os.tmpdir()/node-compile-cache, or NODE_COMPILE_CACHE): later starts skip
// type-stripping and compiling the harness and its packages, about 0.8 of 1.9 s of CPU before a run starts
// (measured alternated, `run --dry-run`; bench/RESULTS.md, B7). Enabled before the imports below, which are
// dynamic so that they go through it. The fakes process is started with the same cache (fakes-process.ts).
// https://nodejs.org/api/module.html#moduleenablecompilecachedirectory
module.enableCompileCache?.();
const { main } = await import('./main.ts');
const { killAllSync, runForcedExitCleanups } = await import('../runner/process-groups.ts');

const controller = new AbortController();
let signals = 0;
const onSignal = (signal: NodeJS.Signals) => {
  // A closed terminal may send SIGHUP twice (the kernel to the foreground group, the shell to its jobs): only the
  // first counts, so a hang-up never forces the exit that skips the results.
  if (signal === 'SIGHUP' && signals > 0) return;
  signals++;
  if (signals === 1) {
    process.stderr.write(`\nshakedown: ${signal}: stopping, writing partial results (press Ctrl-C again to force)\n`);
    controller.abort(new Error(`interrupted by ${signal}`));
    return;
  }
  if (signals > 2) process.exit(130); // a third one: out now, cleanup or not
  process.stderr.write(`\nshakedown: ${signal} again: forcing exit (deleting this run's proxies, at most 1.5 s)\n`);
  killAllSync();
  // Proxies on a Toxiproxy server the run did not start (TOXIPROXY_URL) outlive the killed groups: delete them,
  // bounded in time, then exit.
  void runForcedExitCleanups(1500).finally(() => process.exit(130));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.on('SIGHUP', onSignal);
process.on('exit', killAllSync);

/**
 * stdout or stderr whose reader went away (`shakedown run ... | head`: EPIPE; a closed terminal: EIO): further
 * writes are dropped instead of an unhandled error crashing the run; the run goes on and its files are written.
 * Other stream errors still throw.
 */
function closedPipeSafe(stream: NodeJS.WriteStream): { write(text: string): void; isTTY?: boolean; columns?: number } {
  let gone = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'EIO') throw error;
    gone = true;
  });
  return {
    isTTY: stream.isTTY,
    get columns() {
      return stream.columns;
    },
    write: (text) => {
      if (!gone) stream.write(text);
    },
  };
}

const code = await main(process.argv.slice(2), {
  stdout: closedPipeSafe(process.stdout),
  stderr: closedPipeSafe(process.stderr),
  cwd: process.cwd(),
  signal: controller.signal,
});
process.exitCode = code;
killAllSync();
// Handles left open by a dependency (sockets in keep-alive) must not hold the process.
setTimeout(() => process.exit(code), 200).unref();
