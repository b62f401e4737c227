import { describe, expect, it } from 'vitest';
import { customScorer, ragAnswer, resolveScenario, dataset, fakes } from '../../harness/scenario/index.ts';
import type { SampleEvidence } from '../../harness/scoring/answer-checks.ts';
import { createRunScorer, validateVerdict } from '../../harness/scoring/custom-scorer.ts';
import { scoreRagAnswer, type GroundTruth, type ScoreInput } from '../../harness/scoring/rag-answer.ts';
import { createReferenceData, numbersIn } from '../../harness/scoring/reference-data.ts';
import { createRepeatedAnswers } from '../../harness/scoring/repeated-answers.ts';

/** A two-document corpus and one product, shaped like the shipped dataset. */
const reference = createReferenceData(
  {
    documents: [
      {
        id: 'doc-001',
        versions: [
          { text: 'Returns within 30 days. Mail returns cost $5.95.' },
          { text: 'Returns within 45 days. Mail returns cost $7.50. Members get 90 days.' },
        ],
      },
      { id: 'doc-002', versions: [{ text: 'Gear has a 3-year warranty.' }, { text: 'Gear has a 5-year warranty.' }] },
    ],
  },
  { products: [{ sku: 'SKU-1001', name: 'Trail Runner 2', price: 129, stock: 42, stale: { price: 119, stock: 0 } }] },
);

const mailReturns: GroundTruth = {
  id: 'q-003',
  question: 'How much do mail returns cost?',
  category: 'policy',
  facts: ['$7.50'],
  stale_facts: ['$5.95'],
  relevant_ids: ['doc-001'],
};
const spec = { ...ragAnswer(), fallbackTexts: [], repeatedAnswer: 3 };
const ok200 = (body: unknown): ScoreInput => ({
  status: 200,
  error_kind: null,
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
/** Retrieval returned doc-001 and doc-002 for this request. */
const returned: SampleEvidence = {
  calls: { retrieval: { calls: 1, errors: 0, ms: 3 }, model: { calls: 1, errors: 0, ms: 10 } },
  retrieval_calls: 1,
  returned_ids: ['doc-001', 'doc-002'],
  model_cited_ids: ['doc-001'],
};
const score = (body: unknown, evidence: SampleEvidence | null = returned, truth: GroundTruth | undefined = mailReturns) =>
  scoreRagAnswer(spec, ok200(body), truth, { reference, evidence });

describe('RAG answer checks beyond recall', () => {
  it('scores a current, grounded, rightly cited answer ok', () => {
    expect(score({ answer: 'Mail returns cost $7.50. [doc-001]', citations: ['doc-001'] })).toEqual({
      outcome: 'ok',
      quality: 1,
      reasons: [],
    });
  });

  it('scores a stale fact next to a current one as stale', () => {
    expect(score({ answer: 'Mail returns cost $7.50, formerly $5.95. [doc-001]', citations: ['doc-001'] })).toEqual({
      outcome: 'stale',
      quality: 0,
      reasons: ['holds superseded fact "$5.95"'],
    });
  });

  it('scores the right number with a citation of a returned document that does not hold it as wrong', () => {
    expect(score({ answer: 'Mail returns cost $7.50. [doc-002]', citations: ['doc-002'] })).toEqual({
      outcome: 'wrong',
      quality: 0,
      reasons: ['fact "$7.50" is cited to doc-002, which does not hold it'],
    });
  });

  it('scores an invented document id as wrong (fabricated), even when the citations field dropped it', () => {
    expect(score({ answer: 'Mail returns cost $7.50. [doc-937]', citations: [] })).toEqual({
      outcome: 'wrong',
      quality: 0,
      reasons: ['cites doc-937, which no document or inventory record has'],
    });
  });

  it('scores a real document that retrieval did not return for this request as wrong (ungrounded)', () => {
    const onlyDoc2: SampleEvidence = { ...returned, returned_ids: ['doc-002'] };
    expect(score({ answer: 'Mail returns cost $7.50. [doc-001]', citations: ['doc-001'] }, onlyDoc2)).toEqual({
      outcome: 'wrong',
      quality: 0,
      reasons: [
        'number 7.5 is in no document retrieval returned, no inventory record and not the question',
        'cites doc-001, which retrieval did not return for this request',
      ],
    });
  });

  it('does not check grounding when the log shows no retrieval call for the sample (a cached answer)', () => {
    expect(score({ answer: 'Mail returns cost $7.50. [doc-001]', citations: ['doc-001'] }, null)).toEqual({
      outcome: 'ok',
      quality: 1,
      reasons: [],
    });
  });

  it('scores a number perturbed by one as wrong: no document returned holds it', () => {
    expect(score({ answer: 'Mail returns cost $8.50. [doc-001]', citations: ['doc-001'] })).toEqual({
      outcome: 'wrong',
      quality: 0,
      reasons: ['number 8.5 is in no document retrieval returned, no inventory record and not the question', 'missing fact "$7.50"'],
    });
    expect(
      score({ answer: 'Returns within 46 days. [doc-001]', citations: ['doc-001'] }, returned, { ...mailReturns, facts: ['45 days'] })
        .reasons[0],
    ).toBe('number 46 is in no document retrieval returned, no inventory record and not the question');
  });

  it('accepts numbers from the question, inventory records and stale versions as not fabricated', () => {
    const truth = {
      ...mailReturns,
      question: 'Is the 2 pack of Trail Runner 2 in stock?',
      facts: ['stock 42'],
      stale_facts: ['stock 0'],
      relevant_ids: [],
      skus: ['SKU-1001'],
    };
    expect(score({ answer: 'Trail Runner 2 price 129.00 USD, stock 42. [SKU-1001]', citations: ['SKU-1001'] }, returned, truth)).toEqual({
      outcome: 'ok',
      quality: 1,
      reasons: [],
    });
  });

  it('scopes fabrication to the whole corpus when retrieval results are unknown', () => {
    expect(score({ answer: 'Gear has a 3-year warranty, mail returns $7.50.', citations: [] }, null).outcome).toBe('ok');
    expect(score({ answer: 'Mail returns cost $7.51.', citations: [] }, null).reasons[0]).toBe(
      'number 7.51 is in no document, no inventory record and not the question',
    );
  });

  it.each([
    ['an empty string answer', { answer: '', citations: [] }, { outcome: 'empty', quality: 0, reasons: ['empty answer'] }],
    ['non-JSON', 'Mail returns cost $7.50', { outcome: 'wrong', quality: 0, reasons: ['response is not JSON'] }],
    [
      'citations that are not a list',
      { answer: 'Mail returns cost $7.50.', citations: 'doc-001' },
      { outcome: 'wrong', quality: 0, reasons: ['response field citations is not an array of strings'] },
    ],
    [
      'citations with a number',
      { answer: 'Mail returns cost $7.50.', citations: [1] },
      { outcome: 'wrong', quality: 0, reasons: ['response field citations is not an array of strings'] },
    ],
    [
      'the model refusal passed through',
      { answer: "I'm sorry, but I can't help with that.", citations: [] },
      { outcome: 'empty', quality: 0, reasons: ['the answer is a refusal: "I\'m sorry, but I can\'t help with that."'] },
    ],
    [
      'a canned text without the fallback flag',
      { answer: "Sorry, I can't look that up right now. Please try again in a few minutes.", citations: [], fallback: false },
      {
        outcome: 'fallback',
        quality: 0,
        reasons: ['the answer is a canned fallback text: "Sorry, I can\'t look that up right now. Please try again in a few minutes."'],
      },
    ],
  ])('scores %s', (_label, body, expected) => {
    expect(score(body)).toEqual(expected);
  });

  it('scores a text listed in fallbackTexts as fallback', () => {
    const s = { ...spec, fallbackTexts: ['Our  assistant is resting.'] };
    expect(scoreRagAnswer(s, ok200({ answer: 'our assistant is resting.', citations: [] }), mailReturns, { reference }).outcome).toBe(
      'fallback',
    );
  });

  it('flags the same fact-less answer for a third different question as a silent fallback, not before, and never a correct shared answer', () => {
    const repeated = createRepeatedAnswers(3);
    const canned = { answer: 'Please contact Northwind support.', citations: [] };
    const q = (id: string): GroundTruth => ({ ...mailReturns, id });
    const run = (body: unknown, truth: GroundTruth) => scoreRagAnswer(spec, ok200(body), truth, { reference, repeated }).outcome;
    expect([run(canned, q('q-1')), run(canned, q('q-1')), run(canned, q('q-2')), run(canned, q('q-3')), run(canned, q('q-4'))]).toEqual([
      'wrong',
      'wrong',
      'wrong',
      'fallback',
      'fallback',
    ]);
    const right = { answer: 'Mail returns cost $7.50. [doc-001]', citations: ['doc-001'] };
    expect(['q-5', 'q-6', 'q-7', 'q-8'].map((id) => run(right, q(id)))).toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it('reads numbers outside ids and citation markers, by value', () => {
    expect(numbersIn('Summit 2 Tent (SKU-1002) costs $1,299.00, stock 12 [doc-001].')).toEqual([2, 1299, 12]);
    expect(numbersIn('$7.50 and 7.5 and 07')).toEqual([7.5, 7.5, 7]);
  });
});

describe('the run scorer for ragAnswer (remembers results)', () => {
  const sample = (body: unknown) => ({ ...ok200(body), latency_ms: 10, request: {}, question_id: 'q-003', category: 'policy' });
  const right = { answer: 'Mail returns cost $7.50. [doc-001]', citations: ['doc-001'] };

  it('gives a repeated response the same result as a fresh scorer, per returned ids, and hands out copies', () => {
    const scorer = createRunScorer(spec, reference);
    const first = scorer.score(sample(right), mailReturns, returned)!;
    expect(first).toEqual({ outcome: 'ok', quality: 1, reasons: [] });
    first.reasons.push('added by the caller (an aborted stream)');
    expect(scorer.score(sample(right), mailReturns, returned)).toEqual({ outcome: 'ok', quality: 1, reasons: [] });
    // Same body, but retrieval did not return doc-001 for this request: not the remembered result.
    const onlyDoc2: SampleEvidence = { ...returned, returned_ids: ['doc-002'] };
    expect(scorer.score(sample(right), mailReturns, onlyDoc2)).toEqual(
      scoreRagAnswer(spec, ok200(right), mailReturns, { reference, evidence: onlyDoc2 }),
    );
    expect(scorer.score(sample(right), mailReturns, onlyDoc2)!.outcome).toBe('wrong');
    expect(scorer.score(sample(right), mailReturns, returned)!.outcome).toBe('ok');
  });

  it('still turns a repeated fact-less answer into a silent fallback at the third question', () => {
    const scorer = createRunScorer(spec, reference);
    const canned = { answer: 'Please contact Northwind support.', citations: [] };
    const q = (id: string): GroundTruth => ({ ...mailReturns, id });
    expect(['q-1', 'q-1', 'q-2', 'q-2', 'q-3', 'q-1'].map((id) => scorer.score(sample(canned), q(id), null)!.outcome)).toEqual([
      'wrong',
      'wrong',
      'wrong',
      'wrong',
      'fallback',
      'fallback',
    ]);
  });
});

describe('customScorer', () => {
  const truth = mailReturns;
  const sample = {
    status: 200,
    error_kind: null,
    body: '{"text":"it is $7.50"}',
    latency_ms: 12,
    request: { question: 'q' },
    question_id: 'q-003',
    category: 'policy',
  };

  it('passes the parsed body, the truth and the evidence to the function and keeps its verdict', () => {
    const scorer = createRunScorer(
      customScorer(
        (s, t) => ({
          outcome: (s.json as { text: string }).text.includes(t!.facts[0]) && s.evidence?.returned_ids[0] === 'doc-001' ? 'ok' : 'wrong',
          quality: 1,
          reasons: [`saw ${s.category}`],
        }),
        { name: 'mine' },
      ),
    );
    expect(scorer.score(sample, truth, returned)).toEqual({ outcome: 'ok', quality: 1, reasons: ['saw policy'] });
  });

  it('classifies transport failures itself, without calling the function', () => {
    let called = 0;
    const scorer = createRunScorer(
      customScorer(() => {
        called++;
        return { outcome: 'ok', quality: 1 };
      }),
    );
    expect(scorer.score({ ...sample, status: 503, error_kind: 'http_5xx' }, truth, null)).toEqual({
      outcome: 'http_error',
      quality: 0,
      reasons: ['HTTP 503'],
    });
    expect(called).toBe(0);
  });

  it('leaves a sample unscored and counts the problem when the function returns nonsense or throws', () => {
    const scorer = createRunScorer(
      customScorer((s) => {
        if (s.latency_ms > 100) throw new Error('boom');
        return { outcome: 'great', quality: 2 };
      }),
    );
    expect(scorer.score(sample, truth, null)).toBeUndefined();
    expect(scorer.score({ ...sample, latency_ms: 500 }, truth, null)).toBeUndefined();
    expect(scorer.problems()).toEqual({
      count: 2,
      messages: [
        'outcome must be one of ok, partial, stale, wrong, fallback, empty, truncated, http_error, timeout, connection_error (got "great"); quality must be a number in [0, 1] (got 2)',
        'threw boom',
      ],
    });
  });

  it('validates verdicts exactly', () => {
    expect(validateVerdict(null)).toBe('must return an object { outcome, quality, reasons? }, got null');
    expect(validateVerdict({ outcome: 'ok', quality: 0.5, reasons: 'x' })).toBe('reasons must be an array of strings');
    expect(validateVerdict({ outcome: 'stale', quality: 0 })).toEqual({ outcome: 'stale', quality: 0, reasons: [] });
  });

  it('is accepted by scenario validation, and a non-function is refused with its path (beside every other problem: scoreWeights is refused)', () => {
    const base = {
      name: 'x',
      system: { url: 'http://127.0.0.1:1' },
      dependencies: { model: fakes.model() },
      load: { executor: 'constant-vus', vus: 1, duration: '1s', requests: dataset.ask('/ask') },
    };
    const good = resolveScenario({ ...base, score: customScorer(() => ({ outcome: 'ok', quality: 1 })) });
    expect(good.ok && good.scenario.score?.kind).toBe('custom');
    const bad = resolveScenario(
      {
        ...base,
        score: { kind: 'custom', name: 'x', score: 'nope' },
        scoreWeights: { availability: 0, latency: 0, quality: 0, recovery: 0 },
      },
      'x.ts',
    );
    expect(bad.ok ? [] : bad.problems).toEqual([
      'x.ts: score.score must be a function (sample, truth) => ({ outcome, quality, reasons })',
      'x.ts: scoreWeights is no longer used: resilience score v2 has no weights (each request earns good 1, loud ½, late 0.1, quiet 0; README "Resilience score"); remove it, and set latencyBudget for what counts as late',
    ]);
  });
});
