/**
 * The model fake answers plain chat completions without msw over a port (fakes/direct-route.ts). These tests send
 * the same raw requests to two servers of one fake, one with the direct route and one with msw only, and require
 * the same bytes back and the same request log.
 */
import { connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createFakeRuntime, mode, serveHandlers, type FakeRuntime, type ServedHandlers } from '../../fakes/index.ts';
import { createModelFake } from '../../fakes/model-handlers.ts';
import { promptOf } from './fakes-fixture.ts';

interface Served {
  runtime: FakeRuntime;
  server: ServedHandlers;
}

async function serveModel(direct: boolean, latency_ms = 0): Promise<Served> {
  const runtime = createFakeRuntime({ name: 'model', kind: 'model', seed: 11 });
  const fake = createModelFake({ latency_ms, chunk_delay_ms: 1 }, { runtime });
  const server = await serveHandlers(fake.handlers, { observe: runtime.observe, maxBodyBytes: 4096, direct: direct ? fake.direct : [] });
  return { runtime, server };
}

/** Sends one raw HTTP/1.1 request on its own connection and returns the raw response, `date` and `created` masked. */
function exchange(
  port: number,
  method: string,
  target: string,
  body: string | null,
  headers: Record<string, string> = {},
): Promise<string> {
  const head = Object.entries({
    host: 'fake',
    connection: 'close',
    ...headers,
    ...(body === null ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
  })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk)).on('error', reject);
    socket.on('close', () =>
      resolve(
        Buffer.concat(chunks)
          .toString('latin1')
          .replace(/\r\ndate: [^\r]*/i, '\r\ndate: X')
          .replace(/"created":\d+/g, '"created":X'),
      ),
    );
    // write, not end: a half-closed client counts as gone (Node's server aborts the request)
    socket.write(`${method} ${target} HTTP/1.1\r\n${head}\r\n${body ?? ''}`);
  });
}

const user = promptOf(
  [
    '[doc-001] Returns are accepted within 14 days of delivery. Items must be unused.',
    '[doc-002] Express shipping costs $12.50 and takes 1 business day.',
  ],
  'How many days after delivery are returns accepted?',
);
const chat = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: 'Answer from the context.' },
      { role: 'user', content: user },
    ],
    ...extra,
  });
const cases: Array<[string, string, string | null, Record<string, string>?]> = [
  ['POST', '/v1/chat/completions', chat(), { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }],
  ['POST', '/v1/chat/completions', chat({ max_tokens: 4 }), { 'x-shakedown-sample-id': 'sample-7' }],
  ['POST', '/v1/chat/completions', chat({ stream: true })],
  ['POST', '/v1/chat/completions', '{"model": "x", "messages": ['],
  ['POST', '/v1/chat/completions', '{"model":"m","messages":[{"role":"user","content":5}]}'],
  ['POST', '/v1/chat/completions', 'x'.repeat(5000)],
  ['POST', '/v1/chat/completions?via=query', chat()],
  ['POST', '/v1/embeddings', JSON.stringify({ model: 'm', input: 'tents' })],
];

async function sendAll(
  served: Served,
  modes: Record<string, Parameters<FakeRuntime['setMode']>[1]>,
): Promise<{ replies: string[]; log: unknown[]; stats: unknown }> {
  for (const [id, m] of Object.entries(modes)) served.runtime.setMode(id, m);
  const replies: string[] = [];
  for (let round = 0; round < 4; round++) {
    for (const [method, target, body, headers] of cases) replies.push(await exchange(served.server.port, method, target, body, headers));
  }
  // the log entry is written when the response closes, just after the client saw it end
  await new Promise((resolve) => setTimeout(resolve, 50));
  const log = served.runtime.log(0).entries.map(({ t_ms, duration_ms, ...entry }) => entry);
  return { replies, log, stats: served.runtime.stats() };
}

describe('direct route of the model fake', () => {
  const servers: Served[] = [];
  const start = async (direct: boolean, latency_ms = 0) => {
    const served = await serveModel(direct, latency_ms);
    servers.push(served);
    return served;
  };
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.server.close()));
  });

  it('answers byte for byte what the msw handler answers, and logs the same entries', async () => {
    const viaMsw = await sendAll(await start(false), {});
    const direct = await sendAll(await start(true), {});
    expect(direct.replies[0]).toMatch(
      /^HTTP\/1\.1 200 OK\r\ncontent-length: \d+\r\ncontent-type: application\/json\r\nopenai-processing-ms: 0\r\nx-request-id: req_/,
    );
    expect(direct.replies).toEqual(viaMsw.replies);
    expect(direct.log).toEqual(viaMsw.log);
    expect(direct.stats).toEqual(viaMsw.stats);
  });

  it('applies error and content modes to the same requests, with the same bytes, under the same seed', async () => {
    const modes = {
      limit: mode.httpError({ rate: 0.3, status: 429, retryAfter: 2 }).mode,
      broken: mode.errorBody({ rate: 0.2 }).mode,
      drop: mode.dropFacts({ rate: 0.5 }).mode,
      cut: mode.streamCut({ rate: 1, afterChunks: 2 }).mode,
    };
    const viaMsw = await sendAll(await start(false), modes);
    const direct = await sendAll(await start(true), modes);
    expect(direct.replies.filter((r) => r.startsWith('HTTP/1.1 429 '))).not.toHaveLength(0);
    expect(direct.replies).toEqual(viaMsw.replies);
    expect(direct.log).toEqual(viaMsw.log);
    expect(direct.stats).toEqual(viaMsw.stats);
  });

  it('waits the fake latency, and logs status 0 for a client that leaves during it', async () => {
    const slow = await start(true, 300);
    const started = performance.now();
    const reply = await exchange(slow.server.port, 'POST', '/v1/chat/completions', chat());
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(reply).toMatch(/^HTTP\/1\.1 200 OK/);

    const socket = connect(slow.server.port, '127.0.0.1');
    const body = chat();
    socket.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: fake\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(slow.runtime.log(0).entries.map((e) => e.status)).toEqual([200, 0]);
  });
});
