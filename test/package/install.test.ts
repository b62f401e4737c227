/**
 * The package as a user gets it: packed (`npm pack` builds dist/), published to a local registry (verdaccio on
 * loopback, temp storage), installed into a fresh project with its own small service (a summarizer that calls the
 * model fake), then `npx shakedown run` on two hand-written scenarios: one whose SLOs hold (exit 0), one whose
 * guard must trip (exit 1). Also: the scenarios type-check against the installed declarations. Everything lives in
 * a temp folder, removed after. Dependencies come through verdaccio from the npm registry npm is configured with.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NPM = 'npm';
const NPX = 'npx';

const SERVICE = `import { createServer } from 'node:http';
// A small summarizer: POST /summarize {"text"} asks the model (MODEL_URL, OpenAI-compatible) and answers {"summary"}.
const server = createServer(async (req, res) => {
  if (req.url === '/health') return res.end('ok');
  if (req.method !== 'POST' || req.url !== '/summarize') return res.writeHead(404).end();
  let body = '';
  for await (const chunk of req) body += chunk;
  try {
    const answer = await fetch(\`\${process.env.MODEL_URL}/v1/chat/completions\`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'any', messages: [{ role: 'user', content: \`Summarize: \${JSON.parse(body).text}\` }] }),
      signal: AbortSignal.timeout(2000),
    });
    if (!answer.ok) throw new Error(\`model answered \${answer.status}\`);
    const summary = (await answer.json()).choices[0].message.content;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ summary }));
  } catch (error) {
    res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: error.message }));
  }
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => console.log(\`summarizer on http://127.0.0.1:\${server.address().port}\`));
`;

// A user's unit test setup: the model and retrieval fakes under msw's setupServer, a mode switched on at run time.
const FAKES_IN_PROCESS = `import { setupServer } from 'msw/node';
import { createFakeRuntime, mode, modelHandlers, retrievalHandlers } from 'shakedown/fakes';
const runtime = createFakeRuntime({ name: 'model', kind: 'model', seed: 1 });
const server = setupServer(
  ...modelHandlers({ chunk_delay_ms: 0 }, { runtime, baseUrl: 'https://model.test' }),
  ...retrievalHandlers({}, { baseUrl: 'https://retrieval.test' }),
);
server.listen({ onUnhandledRequest: 'error' });
const ask = () =>
  fetch('https://model.test/v1/chat/completions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: '[doc-1] Tents ship in 2 days.\\nQuestion: When do tents ship?' }] }),
  });
const answer = (await (await ask()).json()).choices[0].message.content;
runtime.setMode('down', mode.httpError({ rate: 1, status: 503 }));
const down = await ask();
const search = await fetch('https://retrieval.test/search', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query: 'return policy', k: 2 }),
});
console.log(JSON.stringify({ answer, status_with_mode: down.status, search_results: (await search.json()).results.length }));
server.close();
`;

const scenario = (name: string, fault: string, slos: string) => `import { defineScenario, fakes, mode, requests, toxic } from 'shakedown';

export default defineScenario({
  name: '${name}',
  system: { command: ['node', 'service.mjs'], env: ({ model }) => ({ MODEL_URL: model.url }) },
  dependencies: { model: fakes.model() },
  load: {
    executor: 'constant-arrival-rate',
    rate: 5,
    duration: '5s',
    warmup: '1s',
    requests: requests.static({ method: 'POST', path: '/summarize', body: { text: 'Returns are accepted within 14 days.' } }),
  },
  faults: [{ on: 'model', at: '2s', for: '2s', fault: ${fault} }],
  slos: ${slos},
});
`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise((ok) => server.close(ok));
  return port;
}

function sh(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): { code: number; out: string } {
  try {
    const out = execFileSync(file, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
    return { code: 0, out };
  } catch (error) {
    const e = error as { status: number | null; stdout?: string; stderr?: string };
    return { code: e.status ?? -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('the installed package', () => {
  const temp = mkdtempSync(join(tmpdir(), 'shakedown-install-'));
  const project = join(temp, 'project');
  let registry: ChildProcess | undefined;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    const port = await freePort();
    const registryUrl = `http://127.0.0.1:${port}/`;
    const upstream = execFileSync(NPM, ['config', 'get', 'registry'], { encoding: 'utf8' }).trim();
    writeFileSync(
      join(temp, 'verdaccio.yaml'),
      [
        `storage: ${join(temp, 'storage')}`,
        `auth: { htpasswd: { file: ${join(temp, 'htpasswd')}, max_users: 5 } }`,
        `uplinks: { npmjs: { url: '${upstream}', timeout: 60s } }`,
        'packages:',
        "  'shakedown': { access: $all, publish: $authenticated }",
        "  '**': { access: $all, proxy: npmjs }",
        'log: { type: stdout, format: pretty, level: warn }',
      ].join('\n'),
    );
    registry = spawn(
      process.execPath,
      [join(ROOT, 'node_modules/verdaccio/bin/verdaccio'), '--config', join(temp, 'verdaccio.yaml'), '--listen', `127.0.0.1:${port}`],
      { stdio: 'ignore' },
    );
    const until = Date.now() + 30_000;
    for (;;) {
      const up = await fetch(`${registryUrl}-/ping`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (Date.now() > until) throw new Error('verdaccio did not answer /-/ping within 30 s');
      await new Promise((ok) => setTimeout(ok, 250));
    }
    const user = await fetch(`${registryUrl}-/user/org.couchdb.user:ci`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ci', password: 'ci-password' }),
    });
    const { token } = (await user.json()) as { token: string };
    writeFileSync(join(temp, '.npmrc'), `registry=${registryUrl}\n//127.0.0.1:${port}/:_authToken=${token}\n`);
    env = {
      ...process.env,
      PATH: `${dirname(process.execPath)}:${join(ROOT, '.tools/bin')}:${process.env.PATH}`,
      npm_config_userconfig: join(temp, '.npmrc'),
      npm_config_registry: registryUrl,
      npm_config_cache: join(temp, 'npm-cache'),
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    };
    const packed = sh(NPM, ['pack', '--pack-destination', temp], ROOT, env);
    expect(packed.code, packed.out).toBe(0);
    const tarball = readdirSync(temp).find((f) => /^shakedown-.*\.tgz$/.test(f))!;
    const published = sh(NPM, ['publish', join(temp, tarball)], temp, env);
    expect(published.code, published.out).toBe(0);

    mkdirSync(join(project, 'scenarios'), { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'summarizer', private: true, type: 'module' }, null, 2));
    writeFileSync(join(project, 'service.mjs'), SERVICE);
    writeFileSync(
      join(project, 'scenarios/slow-model.ts'),
      scenario('slow-model', 'toxic.latency({ latency: 100 })', "{ fault: { error_rate: '< 5%' } }"),
    );
    writeFileSync(
      join(project, 'scenarios/model-down.ts'),
      scenario('model-down', 'mode.httpError({ status: 503 })', "{ fault: { error_rate: '< 1%' } }"),
    );
    const installed = sh(NPM, ['install', '--save-dev', '--save-exact', 'shakedown@0.1.0'], project, env);
    expect(installed.code, installed.out).toBe(0);
    // Nothing is patched after install: the load engine's measurement fixes are run-time code (engine-client.ts).
    expect(existsSync(join(project, 'patches'))).toBe(false);
  }, 300_000);

  afterAll(() => {
    registry?.kill();
    rmSync(temp, { recursive: true, force: true });
  });

  it('ships built JavaScript and declarations, not TypeScript sources', () => {
    const pkg = join(project, 'node_modules/shakedown');
    expect(existsSync(join(pkg, 'dist/harness/index.js'))).toBe(true);
    expect(existsSync(join(pkg, 'dist/harness/index.d.ts'))).toBe(true);
    expect(existsSync(join(pkg, 'dist/fakes/serve.js'))).toBe(true);
    expect(existsSync(join(pkg, 'dist/fakes/dataset/questions.json'))).toBe(true);
    expect(existsSync(join(pkg, 'harness'))).toBe(false);
    expect(existsSync(join(project, 'node_modules/openai'))).toBe(false);
    expect(existsSync(join(project, 'node_modules/testcontainers'))).toBe(false);
  });

  it("type-checks the user's scenarios against the installed declarations", () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          target: 'es2024',
          strict: true,
          noEmit: true,
          allowImportingTsExtensions: true,
          skipLibCheck: true,
        },
        include: ['scenarios'],
      }),
    );
    const checked = sh(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], project, env);
    expect(checked.out).toBe('');
    expect(checked.code).toBe(0);
    writeFileSync(join(project, 'scenarios/typo.ts'), "import { toxic } from 'shakedown';\nexport default toxic.latncy({ latency: 1 });\n");
    const typo = sh(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], project, env);
    rmSync(join(project, 'scenarios/typo.ts'));
    expect(typo.code).toBe(1);
    expect(typo.out).toContain("Property 'latncy' does not exist");
  });

  it('runs a scenario whose SLOs hold with npx shakedown run: exit 0, results and reports written', () => {
    const ran = sh(NPX, ['shakedown', 'run', 'scenarios/slow-model.ts', '--out', 'results', '--seed', '7', '--quiet'], project, env);
    expect(ran.code, ran.out).toBe(0);
    const [stamp] = readdirSync(join(project, 'results/slow-model'));
    const dir = join(project, 'results/slow-model', stamp);
    expect(
      readdirSync(dir)
        .filter((f) => !f.startsWith('samples'))
        .sort(),
    ).toEqual(['junit.xml', 'report.html', 'results.json', 'summary.md']);
    const result = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(result.run.status).toBe('completed');
    expect(result.verdict).toEqual({ passed: true, slos_total: 1, slos_failed: 0 });
    expect(result.dependencies.model.requests).toBeGreaterThan(0);
    expect(result.run.versions).toMatchObject({ shakedown: '0.1.0', autocannon: '9.0.0' });
  });

  it("runs a scenario from the user's code with the installed library's run()", () => {
    writeFileSync(
      join(project, 'run-it.mjs'),
      "import { run } from 'shakedown';\nconst { result } = await run('scenarios/slow-model.ts', { out: 'library-results', seed: 3 });\nconsole.log(JSON.stringify(result.verdict));\n",
    );
    const ran = sh(process.execPath, ['run-it.mjs'], project, env);
    expect(ran.code, ran.out).toBe(0);
    expect(ran.out.trim().split('\n').at(-1)).toBe('{"passed":true,"slos_total":1,"slos_failed":0}');
    expect(readdirSync(join(project, 'library-results/slow-model'))).toHaveLength(1);
  });

  it('serves the fakes in-process under msw from shakedown/fakes, modes included', () => {
    writeFileSync(join(project, 'fakes-in-process.mjs'), FAKES_IN_PROCESS);
    const ran = sh(process.execPath, ['fakes-in-process.mjs'], project, env);
    expect(ran.code, ran.out).toBe(0);
    expect(JSON.parse(ran.out)).toEqual({ answer: 'Tents ship in 2 days. [doc-1]', status_with_mode: 503, search_results: 2 });
  });

  it('runs a scenario whose guard must trip: exit 1 and a JUnit failure naming the SLO', () => {
    const ran = sh(NPX, ['shakedown', 'run', 'scenarios/model-down.ts', '--out', 'results', '--seed', '7', '--quiet'], project, env);
    expect(ran.code, ran.out).toBe(1);
    const [stamp] = readdirSync(join(project, 'results/model-down'));
    const dir = join(project, 'results/model-down', stamp);
    const result = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(result.verdict).toEqual({ passed: false, slos_total: 1, slos_failed: 1 });
    expect(result.slos[0]).toMatchObject({ selector: 'fault', metric: 'error_rate', passed: false });
    const junit = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(join(dir, 'junit.xml'), 'utf8'));
    expect(JSON.stringify(junit)).toContain('error_rate');
    expect(Number(junit.testsuites['@_failures'] ?? junit.testsuites.testsuite['@_failures'])).toBe(1);
  });
});
