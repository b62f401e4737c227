import { TOXIPROXY_DEFAULTS } from './defaults.ts';
import { findFreeLoopbackPort } from './start-toxiproxy-binary.ts';
import { readToxiproxyVersion } from './toxiproxy-api.ts';

/**
 * Starts `ghcr.io/shopify/toxiproxy` with testcontainers (`@testcontainers/toxiproxy`, waits for /version)
 * and returns its API URL on the mapped port; `stop()` stops and removes the container.
 * Call only after probeDocker() said the engine answers. testcontainers is imported here, lazily: it is
 * large and only this path needs it.
 *
 * The container uses the host's network (Linux), so proxies created on 127.0.0.1:0 and upstreams on the
 * host's loopback work as with a local binary; the API listens on a free host port. Docker Desktop (macOS,
 * Windows) has no host networking: there, run `docker compose up toxiproxy` and set TOXIPROXY_URL instead.
 */
export async function startToxiproxyContainer(
  options: { image?: string; log?: (line: string) => void } = {},
): Promise<{ url: string; version: string; stop(): Promise<void> }> {
  const image = options.image ?? TOXIPROXY_DEFAULTS.image;
  const { ToxiProxyContainer, Wait } = await importTestcontainers();
  options.log?.(`starting ${image} with testcontainers`);
  const port = await findFreeLoopbackPort();
  const container = await new ToxiProxyContainer(image)
    .withNetworkMode('host')
    .withCommand(['-host', '127.0.0.1', '-port', String(port)])
    .withWaitStrategy(Wait.forLogMessage(/Starting Toxiproxy HTTP server|API HTTP server starting/i))
    .start();
  const url = `http://127.0.0.1:${port}`;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= container.stop().then(() => undefined);
    return stopping;
  };
  try {
    const version = await readToxiproxyVersion(url);
    return { url, version, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * testcontainers is an optional peer dependency of the installed package (about 200 packages only the Docker way
 * needs). @throws Error naming the install command when it is missing
 */
async function importTestcontainers(): Promise<{
  ToxiProxyContainer: typeof import('@testcontainers/toxiproxy').ToxiProxyContainer;
  Wait: typeof import('testcontainers').Wait;
}> {
  try {
    const [{ ToxiProxyContainer }, { Wait }] = await Promise.all([import('@testcontainers/toxiproxy'), import('testcontainers')]);
    return { ToxiProxyContainer, Wait };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new Error(
      'testcontainers is not installed (an optional peer dependency): run npm i -D testcontainers @testcontainers/toxiproxy',
      {
        cause: error,
      },
    );
  }
}
