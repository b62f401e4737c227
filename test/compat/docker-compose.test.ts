/**
 * docker-compose.yml without Docker (no engine here): the file parses, every service uses host networking, the
 * ports agree across the Toxiproxy config, the fakes config and the example service's environment; then the
 * stack runs from the file's own commands, flags and environment as plain processes (toxiproxy-server from
 * PATH or .tools/bin in place of the image, this Node 24 in place of node:24-slim), and a question goes through
 * the proxies, then a toxic added on the pre-created `model` proxy slows it down.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOnPath } from '../../harness/toxiproxy/find-executable.ts';
import { type FakesConfig, validateFakesConfig } from '../../fakes/index.ts';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
};

interface Service {
  image: string;
  network_mode?: string;
  ports?: unknown;
  command: string[];
  environment?: Record<string, string>;
  working_dir?: string;
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

interface ToxiproxyProxyConfig {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
}

/** The host path a container path of `service` comes from, through its bind mounts (`./x:/y[:ro]`). */
function hostPath(service: Service, containerPath: string): string {
  const binds = (service.volumes ?? [])
    .map((v) => v.split(':'))
    .filter(([source]) => source.startsWith('.'))
    .sort((a, b) => b[1].length - a[1].length);
  for (const [source, target] of binds) {
    if (containerPath === target || containerPath.startsWith(`${target}/`)) return join(ROOT, source, containerPath.slice(target.length));
  }
  throw new Error(`${containerPath} is not bind-mounted from the checkout in this service`);
}

const toxiproxy = compose.services.toxiproxy;
const fakesService = compose.services.fakes;
const rag = compose.services['rag-service'];
const flag = (name: string) => toxiproxy.command.find((arg) => arg.startsWith(`-${name}=`))?.slice(name.length + 2);
const toxiproxyConfigPath = hostPath(toxiproxy, flag('config') ?? '');
const proxies = JSON.parse(readFileSync(toxiproxyConfigPath, 'utf8')) as ToxiproxyProxyConfig[];
const fakesConfig = JSON.parse(fakesService.environment?.SHAKEDOWN_FAKES_CONFIG ?? 'null') as FakesConfig;
const proxyOf = (name: string) => {
  const proxy = proxies.find((p) => p.name === name);
  if (!proxy) throw new Error(`no proxy named ${name} in ${toxiproxyConfigPath}`);
  return proxy;
};
/** Compose's `${VAR:-default}` interpolation (VAR unset here): the default. */
const interpolate = (value: string) => value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');
const environmentOf = (service: Service) =>
  Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(v)]));
/** The playground's control API token (compose's default when SHAKEDOWN_CONTROL_TOKEN is unset). */
const controlAuth = { authorization: `Bearer ${environmentOf(fakesService).SHAKEDOWN_CONTROL_TOKEN}` };
const apiUrl = `http://${flag('host')}:${flag('port')}`;
const ragUrl = `http://${rag.environment?.HOST}:${rag.environment?.PORT}`;

describe('docker-compose.yml', () => {
  it('has the toxiproxy, deps, fakes and rag-service services, all on host networking with nothing published', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['deps', 'fakes', 'rag-service', 'toxiproxy']);
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.network_mode, name).toBe('host');
      expect(service.ports, name).toBeUndefined();
    }
    expect(toxiproxy.image).toBe('ghcr.io/shopify/toxiproxy:2.12.0');
    for (const name of ['deps', 'fakes', 'rag-service']) expect(compose.services[name].image).toBe('node:24-slim');
    expect(Object.keys(compose.volumes ?? {})).toEqual(['deps']);
  });

  it('starts Toxiproxy on 127.0.0.1:8474 with the proxies of docker/toxiproxy.json, and starts the node services after deps', () => {
    expect(apiUrl).toBe('http://127.0.0.1:8474');
    expect(toxiproxyConfigPath).toBe(join(ROOT, 'docker/toxiproxy.json'));
    expect(proxies.map((p) => p.name)).toEqual(['model', 'retrieval', 'api']);
    expect(fakesService.command).toEqual(['node', 'fakes/serve.ts']);
    expect(rag.command).toEqual(['node', 'examples/rag-service/server.ts']);
    expect(hostPath(fakesService, fakesService.working_dir ?? '')).toBe(ROOT);
    expect(fakesService.depends_on).toEqual({ deps: { condition: 'service_completed_successfully' } });
    expect(rag.depends_on).toMatchObject({ toxiproxy: { condition: 'service_healthy' }, fakes: { condition: 'service_healthy' } });
  });

  it("points each proxy at its fake's fixed port and the example service at the proxies", () => {
    const valid = validateFakesConfig(fakesConfig);
    expect(valid.host).toBe('127.0.0.1');
    expect(Object.fromEntries(Object.entries(valid.fakes).map(([name, spec]) => [name, spec.kind]))).toEqual({
      model: 'model',
      retrieval: 'retrieval',
      api: 'inventory',
    });
    for (const proxy of proxies) {
      expect(proxy.enabled).toBe(true);
      expect(proxy.listen).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(proxy.upstream, proxy.name).toBe(`127.0.0.1:${valid.fakes[proxy.name].port}`);
    }
    expect(rag.environment).toMatchObject({
      OPENAI_BASE_URL: `http://${proxyOf('model').listen}/v1`,
      RETRIEVAL_URL: `http://${proxyOf('retrieval').listen}`,
      INVENTORY_URL: `http://${proxyOf('api').listen}`,
    });
    // Every fixed port of the stack is different.
    const ports = [
      flag('port'),
      String(valid.control_port),
      ...Object.values(valid.fakes).map((f) => String(f.port)),
      ...proxies.map((p) => p.listen.split(':')[1]),
      rag.environment?.PORT,
    ];
    expect(new Set(ports).size).toBe(ports.length);
    expect(fakesService.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${valid.control_port}/health`);
  });
});

describe("the compose stack run as plain processes with the file's commands and environment", () => {
  const children: ChildProcess[] = [];
  const output = new Map<ChildProcess, string>();

  /** Spawns `argv` for `service` (`node` = this Node 24), cwd from its working_dir, env from its environment. */
  function run(name: string, argv: string[], service: Service): ChildProcess {
    const [command, ...args] = argv;
    const child = spawn(command === 'node' ? process.execPath : command, args, {
      cwd: service.working_dir ? hostPath(service, service.working_dir) : ROOT,
      env: { PATH: process.env.PATH, ...environmentOf(service) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    output.set(child, '');
    const keep = (chunk: Buffer) => output.set(child, `${output.get(child)}${chunk}`.slice(-4000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('error', (error) => keep(Buffer.from(`${name}: spawn failed: ${error.message}\n`)));
    return child;
  }

  /** Polls `url` until it answers 2xx, at most `timeoutMs`. */
  async function waitFor(url: string, child: ChildProcess, timeoutMs = 15_000, headers: Record<string, string> = {}): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    for (let attempt = 0; performance.now() < deadline; attempt++) {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before ${url} answered:\n${output.get(child)}`);
      const ok = await fetch(url, { headers, signal: AbortSignal.timeout(1000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await sleep(Math.min(50 * (attempt + 1), 250));
    }
    throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${output.get(child)}`);
  }

  async function assertFree(port: number): Promise<void> {
    const server = net.createServer();
    server.listen(port, '127.0.0.1');
    const result = await Promise.race([once(server, 'listening').then(() => null), once(server, 'error').then(([e]) => e as Error)]);
    if (result)
      throw new Error(
        `port ${port} of docker-compose.yml is in use on this machine (${result.message}); stop what holds it (a running \`docker compose up\`?)`,
      );
    await new Promise((done) => server.close(done));
  }

  beforeAll(async () => {
    const ports = [
      flag('port'),
      fakesConfig.control_port,
      ...Object.values(fakesConfig.fakes).map((f) => f.port),
      ...proxies.map((p) => p.listen.split(':')[1]),
      rag.environment?.PORT,
    ];
    for (const port of ports) await assertFree(Number(port));
    const binary =
      (await findOnPath('toxiproxy-server', [join(ROOT, '.tools/bin'), process.env.PATH].join(delimiter))) ??
      'toxiproxy-server (not found on PATH or in .tools/bin: run scripts/setup.sh)';
    // The image's entrypoint is the server; its flags are the compose command, with the config file's host path.
    const flags = toxiproxy.command.map((arg) => (arg.startsWith('-config=') ? `-config=${toxiproxyConfigPath}` : arg));
    const server = run('toxiproxy', [binary, ...flags], toxiproxy);
    const fakes = run('fakes', fakesService.command, fakesService);
    await waitFor(`${apiUrl}/version`, server);
    await waitFor(`http://127.0.0.1:${fakesConfig.control_port}/health`, fakes, 15_000, controlAuth);
    const service = run('rag-service', rag.command, rag);
    await waitFor(`${ragUrl}/health`, service);
  }, 40_000);

  afterAll(async () => {
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        const stopped = await Promise.race([exited.then(() => true), sleep(5000, false)]);
        if (!stopped) child.kill('SIGKILL');
      }),
    );
  });

  it('the fakes answer on their fixed ports and the compose healthcheck command passes', async () => {
    expect((await fetch(`http://127.0.0.1:${fakesConfig.fakes.model.port}/v1/models`)).status).toBe(200);
    const search = await fetch(`http://127.0.0.1:${fakesConfig.fakes.retrieval.port}/search`, {
      method: 'POST',
      body: '{"query":"return policy","k":2}',
    });
    expect(((await search.json()) as { results: unknown[] }).results).toHaveLength(2);
    expect((await fetch(`http://127.0.0.1:${fakesConfig.fakes.api.port}/v1/products?q=tent`)).status).toBe(200);
    const [command, ...args] = (fakesService.healthcheck?.test ?? []).slice(1);
    expect(command).toBe('node');
    // The healthcheck runs in the fakes container, with its environment (the control token among it).
    const check = spawn(process.execPath, args, { stdio: 'ignore', env: { PATH: process.env.PATH, ...environmentOf(fakesService) } });
    const [code] = await once(check, 'exit');
    expect(code).toBe(0);
  });

  it('Toxiproxy holds the pre-created proxies, and the example service answers through them', async () => {
    const listed = (await (await fetch(`${apiUrl}/proxies`)).json()) as Record<
      string,
      { listen: string; upstream: string; enabled: boolean }
    >;
    expect(Object.keys(listed).sort()).toEqual(['api', 'model', 'retrieval']);
    for (const proxy of proxies)
      expect(listed[proxy.name]).toMatchObject({ listen: proxy.listen, upstream: proxy.upstream, enabled: true });

    const before = (await (
      await fetch(`http://127.0.0.1:${fakesConfig.control_port}/fakes/model/stats`, { headers: controlAuth })
    ).json()) as { requests: number };
    const answer = await fetch(`${ragUrl}/ask`, {
      method: 'POST',
      body: JSON.stringify({ question: 'How long do I have to return an item?' }),
    });
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { answer: string; citations: string[]; fallback: boolean };
    expect(body.fallback).toBe(false);
    expect(body.citations.length).toBeGreaterThan(0);
    expect(body.answer).toMatch(/\[doc-\d+\]/);
    const after = (await (
      await fetch(`http://127.0.0.1:${fakesConfig.control_port}/fakes/model/stats`, { headers: controlAuth })
    ).json()) as { requests: number };
    expect(after.requests).toBe(before.requests + 1);
  });

  it("a latency toxic added by hand on the model proxy slows the example service's answers", async () => {
    const ask = async () => {
      const started = performance.now();
      const response = await fetch(`${ragUrl}/ask`, { method: 'POST', body: JSON.stringify({ question: 'Is shipping free?' }) });
      expect(response.status).toBe(200);
      await response.text();
      return performance.now() - started;
    };
    const added = await fetch(`${apiUrl}/proxies/model/toxics`, {
      method: 'POST',
      body: JSON.stringify({ name: 'by-hand', type: 'latency', stream: 'downstream', attributes: { latency: 400 } }),
    });
    expect(added.status).toBe(200);
    try {
      expect(await ask()).toBeGreaterThanOrEqual(400);
    } finally {
      expect((await fetch(`${apiUrl}/proxies/model/toxics/by-hand`, { method: 'DELETE' })).status).toBe(204);
    }
    expect(await ask()).toBeLessThan(400);
  });
});
