import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createProxyManager, resolveToxiproxy, type ProxyManager, type ToxiproxyServer } from '../../harness/toxiproxy/index.ts';
import { httpGet, proxyNames, startSilentServer, startUpstream, tryConnect } from './helpers.ts';

let server: ToxiproxyServer;
let upstream: { port: number; close(): Promise<void> };
const managers: ProxyManager[] = [];

/** A manager with a prefix unique to this test, cleaned up after it whatever happens. */
function newManager(url = server.url): { manager: ProxyManager; prefix: string } {
  const prefix = `test-${randomBytes(4).toString('hex')}-`;
  const manager = createProxyManager(url, { namePrefix: prefix, requestTimeoutMs: 1_000 });
  managers.push(manager);
  return { manager, prefix };
}

const portOf = (listen: string) => Number(listen.slice(listen.lastIndexOf(':') + 1));

beforeAll(async () => {
  server = await resolveToxiproxy();
  upstream = await startUpstream();
});
afterEach(async () => {
  const problems = (await Promise.all(managers.splice(0).map((manager) => manager.cleanup()))).flat();
  expect(problems).toEqual([]);
});
afterAll(async () => {
  await upstream?.close();
  await server?.stop();
});

describe('createProxyManager', () => {
  it('creates a proxy on a loopback port the server chose, which forwards bytes to the upstream', async () => {
    const { manager, prefix } = newManager();
    const proxy = await manager.createProxy('model', `127.0.0.1:${upstream.port}`);
    expect(proxy.name).toBe('model');
    expect(proxy.listen).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(portOf(proxy.listen)).toBeGreaterThan(0);
    expect(await httpGet(portOf(proxy.listen), '/v1/chat')).toMatchObject({ status: 200, body: 'hello from upstream /v1/chat' });
    expect(await proxyNames(server.url)).toContain(`${prefix}model`);
  });

  it('a 300 ms latency toxic really delays the answer, and removing it restores the speed', async () => {
    const { manager } = newManager();
    const port = portOf((await manager.createProxy('model', `127.0.0.1:${upstream.port}`)).listen);
    const baseline = Math.min(...(await Promise.all([httpGet(port), httpGet(port), httpGet(port)])).map((r) => r.ms));
    await manager.addToxic('model', { name: 'slow', type: 'latency', stream: 'downstream', attributes: { latency: 300 } });
    const slowed = await httpGet(port);
    expect(slowed.body).toBe('hello from upstream /');
    expect(slowed.ms - baseline).toBeGreaterThanOrEqual(250);
    expect(slowed.ms).toBeLessThan(2_000);
    expect((await manager.get('model')).toxics).toEqual([
      { name: 'slow', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 300, jitter: 0 } },
    ]);

    await manager.removeToxic('model', 'slow');
    expect((await manager.get('model')).toxics).toEqual([]);
    expect((await httpGet(port)).ms).toBeLessThan(250);
  });

  it('enabled:false really refuses connections, and enabled:true serves again on the same port', async () => {
    const { manager } = newManager();
    const { listen } = await manager.createProxy('model', `127.0.0.1:${upstream.port}`);
    await manager.setEnabled('model', false);
    expect(await tryConnect(portOf(listen))).toBe('ECONNREFUSED');
    expect(await manager.get('model')).toMatchObject({ listen, enabled: false });

    await manager.setEnabled('model', true);
    expect(await manager.get('model')).toMatchObject({ listen, enabled: true });
    expect((await httpGet(portOf(listen))).body).toBe('hello from upstream /');
  });

  it("puts the server's own error text in the message when it refuses a request", async () => {
    const { manager, prefix } = newManager();
    await manager.createProxy('model', `127.0.0.1:${upstream.port}`);
    const latency = { name: 'x', type: 'latency', stream: 'downstream', attributes: { latency: 10 } } as const;
    await manager.addToxic('model', latency);
    await expect(manager.addToxic('model', latency)).rejects.toMatchObject({
      code: 'TOXIPROXY_REFUSED',
      status: 409,
      message: `Toxiproxy refused toxic "x" on proxy "${prefix}model": toxic already exists (HTTP 409)`,
    });
    await expect(manager.addToxic('model', { ...latency, name: 'y', type: 'no_such_toxic' })).rejects.toMatchObject({
      message: `Toxiproxy refused toxic "y" on proxy "${prefix}model": invalid toxic type (HTTP 400)`,
    });
    await expect(manager.createProxy('model', `127.0.0.1:${upstream.port}`)).rejects.toMatchObject({
      message: `Toxiproxy refused proxy "${prefix}model" to 127.0.0.1:${upstream.port}: proxy already exists (HTTP 409)`,
    });
    await expect(manager.removeToxic('model', 'never-added')).rejects.toMatchObject({
      message: `Toxiproxy refused removal of toxic "never-added" from proxy "${prefix}model": toxic not found (HTTP 404)`,
    });
  });

  it('rejects bad input before asking the server', async () => {
    const { manager } = newManager();
    await expect(manager.createProxy('model', 'localhost')).rejects.toMatchObject({
      code: 'TOXIPROXY_INVALID_REQUEST',
      message: 'createProxy("model"): upstream must be "host:port", got "localhost"',
    });
    await expect(
      manager.addToxic('model', { name: 'x', type: 'latency', stream: 'downstream', toxicity: 1.5, attributes: {} }),
    ).rejects.toMatchObject({ message: 'addToxic("model", "x"): toxicity must be between 0 and 1, got 1.5' });
  });

  it('stats() reports the current state of exactly the proxies this manager created', async () => {
    const { manager } = newManager();
    const other = newManager().manager;
    await other.createProxy('other', `127.0.0.1:${upstream.port}`);
    const a = await manager.createProxy('a', `127.0.0.1:${upstream.port}`);
    const b = await manager.createProxy('b', `127.0.0.1:${upstream.port}`);
    await manager.addToxic('b', { name: 'cut', type: 'limit_data', stream: 'downstream', toxicity: 0.5, attributes: { bytes: 10 } });
    await manager.setEnabled('a', false);
    expect(await manager.stats()).toEqual([
      { name: 'a', listen: a.listen, upstream: `127.0.0.1:${upstream.port}`, enabled: false, toxics: [] },
      {
        name: 'b',
        listen: b.listen,
        upstream: `127.0.0.1:${upstream.port}`,
        enabled: true,
        toxics: [{ name: 'cut', type: 'limit_data', stream: 'downstream', toxicity: 0.5, attributes: { bytes: 10 } }],
      },
    ]);
  });

  it('cleanup() leaves none of its proxies behind even when the code using them throws', async () => {
    const prefix = `test-${randomBytes(4).toString('hex')}-`;
    const manager = createProxyManager(server.url, { namePrefix: prefix });
    const failingScenario = async () => {
      try {
        await manager.createProxy('model', `127.0.0.1:${upstream.port}`);
        await manager.createProxy('vector-db', `127.0.0.1:${upstream.port}`);
        await manager.addToxic('model', { name: 'slow', type: 'latency', stream: 'upstream', attributes: { latency: 50 } });
        await manager.setEnabled('vector-db', false);
        throw new Error('scenario failed half-way');
      } finally {
        expect(await manager.cleanup()).toEqual([]);
      }
    };
    await expect(failingScenario()).rejects.toThrow('scenario failed half-way');
    expect((await proxyNames(server.url)).filter((name) => name.startsWith(prefix))).toEqual([]);
  });

  it('cleanup() tolerates proxies and toxics that are already gone', async () => {
    const { manager, prefix } = newManager();
    await manager.createProxy('model', `127.0.0.1:${upstream.port}`);
    await manager.addToxic('model', { name: 'slow', type: 'latency', stream: 'downstream', attributes: { latency: 50 } });
    await fetch(`${server.url}/proxies/${prefix}model`, { method: 'DELETE' });
    expect(await manager.cleanup()).toEqual([]);
    expect(await manager.cleanup()).toEqual([]); // and running it twice is harmless
  });

  it('cleanup() returns the problems instead of throwing when the server is gone', async () => {
    const own = await resolveToxiproxy();
    const manager = createProxyManager(own.url, { namePrefix: 'gone-', requestTimeoutMs: 1_000 });
    await manager.createProxy('model', `127.0.0.1:${upstream.port}`);
    await manager.addToxic('model', { name: 'slow', type: 'latency', stream: 'downstream', attributes: { latency: 50 } });
    await own.stop();
    expect(await manager.cleanup()).toEqual([
      `Toxiproxy at ${own.url} did not answer DELETE /proxies/gone-model/toxics/slow (removal of toxic "slow" from proxy "gone-model"): ECONNREFUSED. Check that the server is still running.`,
      `Toxiproxy at ${own.url} did not answer DELETE /proxies/gone-model (deletion of proxy "gone-model"): ECONNREFUSED. Check that the server is still running.`,
    ]);
  });

  it('bounds every request with a timeout', async () => {
    const silent = await startSilentServer();
    try {
      const manager = createProxyManager(`http://127.0.0.1:${silent.port}`, { requestTimeoutMs: 200 });
      const t0 = performance.now();
      await expect(manager.createProxy('model', '127.0.0.1:9')).rejects.toMatchObject({
        code: 'TOXIPROXY_REQUEST_FAILED',
        message: `Toxiproxy at http://127.0.0.1:${silent.port} did not answer POST /proxies (proxy "model" to 127.0.0.1:9): no answer within 200 ms. Check that the server is still running.`,
      });
      expect(performance.now() - t0).toBeLessThan(1_000);
      expect(await manager.cleanup()).toHaveLength(1); // the create may have happened: cleanup tries, and says it could not
    } finally {
      await silent.close();
    }
  });
});
