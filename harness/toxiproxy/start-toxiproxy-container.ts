import { TOXIPROXY_DEFAULTS } from './defaults.ts';
import { findFreeLoopbackPort } from './start-toxiproxy-binary.ts';
import { readToxiproxyVersion } from './toxiproxy-api.ts';

/**
 * Starts `ghcr.io/shopify/toxiproxy` with testcontainers (a plain `GenericContainer`, waiting for the server's
 * start line, then `GET /version`) and returns its API URL; `stop()` stops and removes the container.
 * Call only after probeDocker() said the engine answers. testcontainers is imported here, lazily: it is
 * large, only this path needs it, and it is an optional peer dependency of the installed package.
 *
 * The container uses the host's network (Linux), so proxies created on 127.0.0.1:0 and upstreams on the
 * host's loopback work as with a local binary; the API listens on a free loopback port. Two consequences, both
 * measured against a Docker 20.10 engine started with `--bridge=none` (issue 16): `@testcontainers/toxiproxy`'s
 * container exposes ports, and with host networking none is ever bound ("Timed out ... waiting for container
 * ports to be bound", or "No port binding found for :8474/tcp"), so a generic container is used; and
 * testcontainers looks for the `bridge` network's gateway to name the container's host, which an engine without
 * a bridge lacks ("Could not find a working container runtime strategy"), so `TESTCONTAINERS_HOST_OVERRIDE`
 * defaults to 127.0.0.1, which host networking makes true. Docker Desktop (macOS, Windows) has no host
 * networking: there, run `docker compose up toxiproxy` and set TOXIPROXY_URL instead.
 */
export async function startToxiproxyContainer(
  options: { image?: string; log?: (line: string) => void; env?: NodeJS.ProcessEnv } = {},
): Promise<{ url: string; version: string; stop(): Promise<void> }> {
  const image = options.image ?? TOXIPROXY_DEFAULTS.image;
  const env = options.env ?? process.env;
  // testcontainers reads its configuration from process.env when it first looks for the engine.
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= env.TESTCONTAINERS_HOST_OVERRIDE ?? '127.0.0.1';
  if (env.DOCKER_HOST) process.env.DOCKER_HOST ??= env.DOCKER_HOST;
  const { GenericContainer, Wait } = await importTestcontainers();
  options.log?.(`starting ${image} with testcontainers`);
  const port = await findFreeLoopbackPort();
  const container = await new GenericContainer(image)
    .withNetworkMode('host')
    .withCommand(['-host', '127.0.0.1', '-port', String(port)])
    .withWaitStrategy(Wait.forLogMessage(/Starting Toxiproxy HTTP server|API HTTP server starting/i))
    .withStartupTimeout(30_000)
    .start();
  const url = `http://127.0.0.1:${port}`;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= container.stop().then(() => undefined);
    return stopping;
  };
  try {
    return { url, version: await versionWhenListening(url, 5000), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The server logs its start line just before it listens: ask for /version until it answers, within `within_ms`. */
async function versionWhenListening(url: string, within_ms: number): Promise<string> {
  const until = Date.now() + within_ms;
  for (;;) {
    try {
      return await readToxiproxyVersion(url);
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * testcontainers is an optional peer dependency of the installed package (about 150 packages only the Docker way
 * needs). @throws Error naming the install command when it is missing
 */
async function importTestcontainers(): Promise<typeof import('testcontainers')> {
  try {
    return await import('testcontainers');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new Error('testcontainers is not installed (an optional peer dependency): run npm i -D testcontainers', { cause: error });
  }
}
