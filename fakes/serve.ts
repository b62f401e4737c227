/**
 * The fakes child process: `child_process.fork('fakes/serve.ts', { env: { SHAKEDOWN_FAKES_CONFIG: json } })`.
 *
 * Sends one IPC message when every fake listens:
 * `{ "type": "ready", "control_url": "http://127.0.0.1:P", "fakes": { "<name>": { "url", "kind" } } }`, or on a
 * start failure `{ "type": "error", "message" }` and exits with code 1. Exits (closing servers and destroying
 * held-open streams) when the IPC channel closes (the harness died) or on SIGTERM/SIGINT.
 */
import type { FakesChildMessage } from './serve-messages.ts';
import { startFakes, type RunningFakes } from './start-fakes.ts';

function send(message: FakesChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) {
      process.stdout.write(`${JSON.stringify(message)}\n`);
      resolve();
      return;
    }
    process.send(message, undefined, {}, () => resolve());
  });
}

function disconnect(): void {
  if (process.connected) process.disconnect();
}

async function main(): Promise<void> {
  let running: RunningFakes;
  try {
    const text = process.env.SHAKEDOWN_FAKES_CONFIG;
    if (!text) throw new Error('SHAKEDOWN_FAKES_CONFIG is not set: pass the fakes config as JSON in this env variable.');
    running = await startFakes(JSON.parse(text));
  } catch (error) {
    await send({ type: 'error', message: (error as Error).message ?? String(error) });
    process.exitCode = 1;
    disconnect();
    return;
  }
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    running.close().then(
      () => disconnect(),
      (error: unknown) => {
        process.stderr.write(`fakes: error while closing after ${reason}: ${(error as Error).message}\n`);
        process.exitCode = 1;
        disconnect();
      },
    );
  };
  process.once('disconnect', () => stop('IPC disconnect'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  const fakes = Object.fromEntries(Object.entries(running.fakes).map(([name, f]) => [name, { url: f.url, kind: f.kind }]));
  await send({ type: 'ready', control_url: running.control_url, fakes });
}

await main();
