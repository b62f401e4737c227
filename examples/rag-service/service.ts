/**
 * The rag-service process: configuration, HTTP server and graceful shutdown. Started by server.ts, which
 * documents the API and every environment knob.
 */
import { createServer } from 'node:http';
import { ConfigError, readConfig } from './config.ts';
import { createRequestHandler } from './http-handler.ts';
import { createModelClient } from './model.ts';
import { createRagPipeline } from './rag-pipeline.ts';

/** How long in-flight requests may finish after SIGTERM / SIGINT. */
export const SHUTDOWN_GRACE_MS = 2000;

/** Reads the configuration, listens, and closes on SIGTERM / SIGINT (see server.ts for the knobs). */
export function main(): void {
  let config;
  try {
    config = readConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
    return;
  }

  const model = createModelClient({
    baseURL: config.openaiBaseUrl,
    apiKey: config.openaiApiKey,
    model: config.model,
    timeoutMs: config.modelTimeoutMs,
    maxRetries: config.modelMaxRetries,
    retryAfter: config.modelRetryAfter,
    streamIdleTimeoutMs: config.streamIdleTimeoutMs,
  });
  const shutdown = new AbortController();
  const handler = createRequestHandler(createRagPipeline(config, model), {
    fallbackMode: config.fallbackMode,
    shutdownSignal: shutdown.signal,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const server = createServer(handler);

  server.on('error', (error) => {
    process.stderr.write(`rag-service: cannot listen on ${config.host}:${config.port}: ${error.message}\n`);
    process.exitCode = 1;
  });
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    process.stdout.write(`rag-service listening on http://${host}:${port}\n`);
  });

  let closing = false;
  const stop = (signal: NodeJS.Signals) => {
    if (closing) {
      // A second signal: stop waiting for in-flight requests.
      shutdown.abort();
      server.closeAllConnections();
      return;
    }
    closing = true;
    process.stderr.write(`rag-service: ${signal} received, closing\n`);
    server.close(() => process.stderr.write('rag-service: closed\n'));
    server.closeIdleConnections();
    setTimeout(() => {
      shutdown.abort();
      server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
