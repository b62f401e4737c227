/**
 * The harness and the fakes agree on modes (issue 10): a mode the scenario resolver accepts for a dependency of
 * kind K is one a running fake of kind K accepts through its control API, stored as the same object; a mode the
 * resolver refuses, the fake refuses. Both sides run their real code paths: `resolveScenario` on one side, a
 * fakes server on a loopback port and `PUT /fakes/:name/modes/:id` on the other.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_KINDS, type FakeKind, MODE_KINDS, mode } from '../../contract/index.ts';
import { fakes as fakeSpecs, resolveScenario } from '../../harness/scenario/index.ts';
import { control, fixtureConfig, type RunningFakes, startFakes } from '../fakes/fakes-fixture.ts';
import { validScenario } from '../scenario/scenario-fixture.ts';

/** The fixture's fake of each kind, by the name it runs under (the fakes fixture and the scenario use the same names). */
const FAKE_OF_KIND: Record<BuiltInKind, string> = { model: 'model', retrieval: 'retrieval', inventory: 'api' };
/** The built-in kinds (a `custom` fake needs a handlers module: test/fakes/custom-fake.test.ts covers its modes). */
type BuiltInKind = Exclude<FakeKind, 'custom'>;
const BUILT_IN_KINDS = FAKE_KINDS.filter((k): k is BuiltInKind => k !== 'custom');

/** A valid scenario whose second fault puts `modeValue` (any value) on the dependency of `kind`. */
function scenarioWithMode(kind: BuiltInKind, modeValue: unknown) {
  const base = validScenario();
  return {
    ...base,
    dependencies: { model: fakeSpecs.model(), retrieval: fakeSpecs.retrieval(), api: fakeSpecs.inventory() },
    faults: [...base.faults, { on: FAKE_OF_KIND[kind], at: '40s', for: '5s', fault: { kind: 'mode', mode: modeValue } }],
  };
}

type Verdict = { accepted: true; mode: unknown } | { accepted: false; problems: string[] };

/** What the harness makes of the mode: the mode it would PUT, or its problems. */
function harnessVerdict(kind: BuiltInKind, modeValue: unknown): Verdict {
  const result = resolveScenario(scenarioWithMode(kind, modeValue), 'agreement.ts');
  if (!result.ok) return { accepted: false, problems: result.problems };
  const fault = result.scenario.faults[1].fault;
  if (fault.kind !== 'mode') throw new Error(`expected a mode fault, got ${fault.kind}`);
  return { accepted: true, mode: fault.mode };
}

let running: RunningFakes;
let nextId = 0;

/** What the fake of `kind` makes of the same mode as JSON on the wire: the mode it stored, or its 400 message. */
async function fakeVerdict(kind: BuiltInKind, wireMode: unknown, id = `m${nextId++}`): Promise<Verdict> {
  const name = FAKE_OF_KIND[kind];
  const put = await control(running, 'PUT', `/fakes/${name}/modes/${id}`, wireMode);
  if (put.status !== 204) {
    expect(put.status).toBe(400);
    return { accepted: false, problems: [put.body.error.message] };
  }
  const stored = await control(running, 'GET', `/fakes/${name}/modes`);
  await control(running, 'DELETE', `/fakes/${name}/modes/${id}`);
  return { accepted: true, mode: stored.body.modes[id] };
}

/** Asserts the two sides agree on `modeValue` for `kind`, and returns the harness's verdict. */
async function expectAgreement(kind: BuiltInKind, modeValue: unknown): Promise<Verdict> {
  const harness = harnessVerdict(kind, modeValue);
  // The fake gets what the harness would send when it accepts; otherwise the same value through JSON.
  const fake = await fakeVerdict(kind, harness.accepted ? harness.mode : JSON.parse(JSON.stringify(modeValue)));
  expect({ kind, mode: modeValue, fakeAccepted: fake.accepted, fakeProblems: fake.accepted ? [] : fake.problems }).toEqual({
    kind,
    mode: modeValue,
    fakeAccepted: harness.accepted,
    fakeProblems: fake.accepted ? [] : fake.problems,
  });
  if (harness.accepted && fake.accepted) expect(fake.mode).toEqual(harness.mode);
  return harness;
}

describe('harness and fakes agree on modes', () => {
  beforeAll(async () => {
    running = await startFakes(fixtureConfig());
  });
  afterAll(() => running?.close());

  it('mode.stale() on an inventory dependency is accepted by both (it was refused by the harness, accepted by the fake)', async () => {
    const verdict = await expectAgreement('inventory', mode.stale().mode);
    expect(verdict).toEqual({ accepted: true, mode: { kind: 'stale', rate: 1 } });
  });

  it('mode.rateLimit({ retryAfter: 7200 }) is refused by both (it validated, then the fake refused it mid-run)', async () => {
    const verdict = await expectAgreement('model', mode.rateLimit({ retryAfter: 7200 }).mode);
    expect(verdict).toEqual({
      accepted: false,
      problems: ['agreement.ts: faults[1].fault.mode.retry_after_s must be <= 3600 (got 7200)'],
    });
    expect(await fakeVerdict('model', mode.rateLimit({ retryAfter: 7200 }).mode, 'rl')).toEqual({
      accepted: false,
      problems: ["Invalid mode 'rl' for fake 'model': retry_after_s must be a number of seconds from 0 to 3600."],
    });
  });

  it('every factory-built mode with its defaults is accepted by both on the kinds it applies to, and refused elsewhere', async () => {
    const built = [
      mode.httpError({ status: 503 }),
      mode.rateLimit(),
      mode.streamStall({ afterChunks: 2 }),
      mode.streamCut({ afterChunks: 0 }),
      mode.stale(),
      mode.dropFacts(),
      mode.perturbNumbers(),
      mode.wrongCitations({ source: 'invented' }),
      mode.truncate({ keepRatio: 0.25 }),
      mode.refuse(),
      mode.empty(),
      mode.irrelevant(),
      mode.partial({ keep: 0 }),
      mode.schemaDrift({ field: 'stock', to: 'qty' }),
      mode.staleValues(),
      mode.errorBody({ type: 'server_error' }),
      mode.toolArgsTruncated({ keepRatio: 0.25 }),
      mode.toolArgsInvalid({ violation: 'wrong_type' }),
      mode.toolUnknown(),
      mode.streamError({ afterChunks: 1 }),
    ];
    let accepted = 0;
    for (const fault of built) {
      for (const kind of BUILT_IN_KINDS) if ((await expectAgreement(kind, fault.mode)).accepted) accepted++;
    }
    // httpError, rateLimit and errorBody on 3 kinds, stale on 2, the other 16 on 1 each.
    expect(accepted).toBe(3 * 3 + 2 + 16);
  });

  it('any mode-like value: accepted by the harness if and only if accepted by the fake, with the same object stored', async () => {
    const zeroSigned = (v: number) => (Object.is(v, -0) ? 0 : v); // JSON has no -0
    const value = fc.oneof(
      fc.integer({ min: -5, max: 8000 }),
      fc.double({ min: -1, max: 2, noNaN: true }).map(zeroSigned),
      fc.constantFrom('price', 'stock', 'qty', 'unit_price', 'any', 'context', 'invented', '', ' ', 'rate_limit_exceeded'),
      fc.constantFrom('missing_required', 'wrong_type', 'get_weather', 'bad name'),
      fc.constant(null),
      fc.array(fc.constantFrom('/v1/*', '/search', 'v1'), { maxLength: 2 }),
    );
    const wireFields = [
      ...['status', 'retry_after_s', 'code', 'message', 'after_chunks', 'count', 'source', 'keep_ratio', 'keep'],
      ...['violation', 'name'],
    ];
    const rawMode = fc
      .record({
        kind: fc.constantFrom(...MODE_KINDS, 'nope'),
        rate: fc.option(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }).map(zeroSigned), value), { nil: undefined }),
        fields: fc.dictionary(fc.constantFrom(...wireFields, 'field', 'to', 'type', 'paths', 'retryAfter'), value, { maxKeys: 2 }),
      })
      .map(({ kind, rate, fields }) => ({ kind, ...(rate === undefined ? {} : { rate }), ...fields }));
    const factoryOptions = fc.dictionary(
      fc.constantFrom(
        'status',
        'rate',
        'retryAfter',
        'code',
        'message',
        'afterChunks',
        'count',
        'source',
        'keepRatio',
        'keep',
        'field',
        'to',
        'type',
        'violation',
        'name',
      ),
      value,
      { maxKeys: 3 },
    );
    const factoryMode = fc
      .record({ factory: fc.constantFrom(...(Object.keys(mode) as Array<keyof typeof mode>)), options: factoryOptions })
      .map(({ factory, options }) => (mode[factory] as (o: object) => { mode: unknown })(options).mode);
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...BUILT_IN_KINDS), fc.oneof(rawMode, factoryMode), async (kind, modeValue) => {
        if ((await expectAgreement(kind, modeValue)).accepted) accepted++;
        else refused++;
      }),
      { numRuns: 400, seed: 1010 },
    );
    // Both answers were exercised, so the agreement is not vacuous.
    expect(accepted).toBeGreaterThan(40);
    expect(refused).toBeGreaterThan(40);
  });
});
