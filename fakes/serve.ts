/**
 * The fakes child process: `child_process.fork('fakes/serve.ts', { env: { SHAKEDOWN_FAKES_CONFIG: json } })`.
 *
 * Sends one IPC message (`FakesChildMessage`, contract/control-api.ts) when every fake listens:
 * `{ "type": "ready", "control_url": "http://127.0.0.1:P", "fakes": { "<name>": { "url", "kind" } } }`, or on a
 * start failure `{ "type": "error", "message" }` and exits with code 1. Exits with code 0 (closing servers and
 * destroying held-open streams) when the IPC channel closes (the harness died) or on SIGTERM/SIGINT. Without an
 * IPC channel (started by hand) the message is printed to stdout as one JSON line. An exception that escapes a
 * request is written to stderr and the fakes keep serving.
 *
 * The control API's token: under IPC the harness sends it after `ready` (`{ "type": "control-token", "token" }`,
 * answered `{ "type": "token-set" }`) and every control request is refused until then. Started by hand, the
 * token is `SHAKEDOWN_CONTROL_TOKEN` when set; without it the control API is open (a warning on stderr).
 */
import type { FakesConfig, FakesChildMessage, FakesParentMessage } from '../contract/index.ts';
import { type RunningFakes, startFakes } from './start-fakes.ts';

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
  let running: RunningFakes | null = null;
  let stopRequested: string | null = null;
  const stop = (reason: string) => {
    if (stopRequested) return;
    stopRequested = reason;
    if (!running) return; // start still in progress: closed right after it finishes
    running.close().then(disconnect, (error: unknown) => {
      process.stderr.write(`fakes: error while closing after ${reason}: ${(error as Error).message}\n`);
      process.exitCode = 1;
      disconnect();
    });
  };
  process.once('disconnect', () => stop('IPC disconnect'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  process.on('uncaughtException', (error) => process.stderr.write(`fakes: uncaught exception: ${error.stack ?? String(error)}\n`));
  process.on('unhandledRejection', (reason) => process.stderr.write(`fakes: unhandled rejection: ${String(reason)}\n`));

  try {
    const text = process.env.SHAKEDOWN_FAKES_CONFIG;
    if (!text) throw new Error('SHAKEDOWN_FAKES_CONFIG is not set: pass the fakes config as JSON in this env variable.');
    let config: unknown;
    try {
      config = JSON.parse(text);
    } catch (error) {
      throw new Error(`SHAKEDOWN_FAKES_CONFIG is not valid JSON: ${(error as Error).message}`);
    }
    const envToken = process.env.SHAKEDOWN_CONTROL_TOKEN;
    // Under IPC the token comes over the channel (null: refuse every control request until it arrives).
    const controlToken = process.send ? null : envToken || undefined;
    if (controlToken === undefined)
      process.stderr.write(
        'fakes: the control API is open to every local process: set SHAKEDOWN_CONTROL_TOKEN to require Authorization: Bearer <token>\n',
      );
    running = await startFakes(config as FakesConfig, { controlToken });
  } catch (error) {
    await send({ type: 'error', message: (error as Error).message ?? String(error) });
    process.exitCode = 1;
    disconnect();
    return;
  }
  if (stopRequested) {
    const reason = stopRequested;
    stopRequested = null;
    stop(reason);
    return;
  }
  const fakes = Object.fromEntries(Object.entries(running.fakes).map(([name, f]) => [name, { url: f.url, kind: f.kind }]));
  const started = running;
  process.on('message', (m: FakesParentMessage) => {
    if (m?.type !== 'control-token' || typeof m.token !== 'string' || m.token.length === 0) return;
    started.setControlToken(m.token);
    void send({ type: 'token-set' });
  });
  await send({ type: 'ready', control_url: running.control_url, fakes });
}

await main();
