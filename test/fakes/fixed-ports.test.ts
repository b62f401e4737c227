import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FakesConfigError, FakesListenError, validateFakesConfig } from '../../fakes/index.ts';
import { type RunningFakes, fixtureConfig, startFakes } from './fakes-fixture.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Listens on a free loopback port and keeps it: the port is taken until the test ends. */
async function squatPort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return (server.address() as net.AddressInfo).port;
}

/** Free loopback ports, found by listening on port 0 and closing again. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, async () => {
      const server = net.createServer().listen(0, '127.0.0.1');
      await once(server, 'listening');
      return server;
    }),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

async function start(config: Parameters<typeof startFakes>[0]): Promise<RunningFakes> {
  const fakes = await startFakes(config);
  cleanups.push(() => fakes.close());
  return fakes;
}

describe('fixed ports and host of the fakes', () => {
  it('listens on the fixed port of each fake and of the control server, and answers there', async () => {
    const [model, retrieval, api, control] = await freePorts(4);
    const base = fixtureConfig();
    const fakes = await start({
      ...base,
      host: '127.0.0.1',
      control_port: control,
      fakes: {
        model: { ...base.fakes.model, port: model },
        retrieval: { ...base.fakes.retrieval, port: retrieval },
        api: { ...base.fakes.api, port: api },
      },
    });
    expect(fakes.control_url).toBe(`http://127.0.0.1:${control}`);
    expect(Object.fromEntries(Object.entries(fakes.fakes).map(([name, f]) => [name, f.url]))).toEqual({
      model: `http://127.0.0.1:${model}`,
      retrieval: `http://127.0.0.1:${retrieval}`,
      api: `http://127.0.0.1:${api}`,
    });
    expect((await fetch(`http://127.0.0.1:${model}/v1/models`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${retrieval}/search`, { method: 'POST', body: '{"query":"returns","k":1}' })).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${api}/v1/products?q=tent`)).status).toBe(200);
    expect(await (await fetch(`http://127.0.0.1:${control}/health`)).json()).toMatchObject({ ok: true });
  });

  it('mixes fixed and free ports: a fake without a port gets any free one', async () => {
    const [model] = await freePorts(1);
    const base = fixtureConfig();
    const fakes = await start({ ...base, fakes: { model: { ...base.fakes.model, port: model }, api: base.fakes.api } });
    expect(fakes.fakes.model.url).toBe(`http://127.0.0.1:${model}`);
    expect(fakes.fakes.api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(fakes.fakes.api.url).not.toBe(fakes.fakes.model.url);
  });

  it('fails with a clear error naming the fake and the address when its port is taken, and leaves nothing listening', async () => {
    const taken = await squatPort();
    const [retrieval] = await freePorts(1);
    const base = fixtureConfig();
    const error = await startFakes({
      ...base,
      fakes: { retrieval: { ...base.fakes.retrieval, port: retrieval }, model: { ...base.fakes.model, port: taken } },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FakesListenError);
    expect((error as Error).message).toBe(
      `fake 'model' cannot listen on 127.0.0.1:${taken}: address in use (set another fakes.model.port, or 0 for any free port)`,
    );
    expect(error).toMatchObject({ code: 'FAKES_LISTEN_FAILED', address: `127.0.0.1:${taken}` });
    // The retrieval fake that had started was closed again: its port is free.
    const probe = net.createServer().listen(retrieval, '127.0.0.1');
    await once(probe, 'listening');
    await new Promise((resolve) => probe.close(resolve));
  });

  it('fails with a clear error when the control port is taken', async () => {
    const taken = await squatPort();
    const error = await startFakes({ ...fixtureConfig(), control_port: taken }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `the fakes control server cannot listen on 127.0.0.1:${taken}: address in use (set another control_port, or 0 for any free port)`,
    );
  });

  it('reports every bad port, host and duplicate port in the config', () => {
    let error: unknown;
    try {
      validateFakesConfig({
        host: 'localhost',
        control_port: 4010,
        fakes: {
          model: { kind: 'model', port: 4010 },
          retrieval: { kind: 'retrieval', port: 70000 },
          api: { kind: 'inventory', port: 4010 },
        },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FakesConfigError);
    expect((error as FakesConfigError).problems).toEqual([
      'host must be an IP address such as 127.0.0.1',
      'fakes.model.port 4010 is also the port of control_port',
      'fakes.retrieval.port must be an integer from 0 to 65535',
      'fakes.api.port 4010 is also the port of control_port',
    ]);
  });

  it('accepts port 0 for several fakes (each gets its own free port)', () => {
    expect(() =>
      validateFakesConfig({ control_port: 0, fakes: { a: { kind: 'model', port: 0 }, b: { kind: 'model', port: 0 } } }),
    ).not.toThrow();
  });
});
