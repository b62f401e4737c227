#!/usr/bin/env node
/**
 * The `shakedown` executable. Wires signals: the first SIGINT/SIGTERM aborts the run (teardown runs, partial
 * results are written, exit 130); a second one forces a fast exit that still kills every process group the
 * harness started (which stops its own Toxiproxy server with all proxies and toxics) and deletes the run's
 * proxies on a server it did not start (TOXIPROXY_URL), bounded to 1.5 s; a third one exits at once.
 */
import { main } from './main.ts';
import { killAllSync, runForcedExitCleanups } from '../runner/process-groups.ts';

const controller = new AbortController();
let signals = 0;
const onSignal = (signal: NodeJS.Signals) => {
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
process.on('exit', killAllSync);

const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), signal: controller.signal });
process.exitCode = code;
killAllSync();
// Handles left open by a dependency (sockets in keep-alive) must not hold the process.
setTimeout(() => process.exit(code), 200).unref();
