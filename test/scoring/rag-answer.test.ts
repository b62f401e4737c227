import { describe, expect, it } from 'vitest';
import { ragAnswer } from '../../harness/scenario/index.ts';
import { scoreRagAnswer, type GroundTruth, type ScoreInput } from '../../harness/scoring/rag-answer.ts';

const spec = ragAnswer();

/** q-003 of the shipped dataset: mail returns cost $7.50 now, $5.95 in the superseded document. */
const mailReturns: GroundTruth = {
  id: 'q-003',
  question: 'How much do mail returns cost?',
  category: 'policy',
  facts: ['$7.50'],
  stale_facts: ['$5.95'],
  relevant_ids: ['doc-001'],
};

/** A question whose answer needs three facts. */
const returnPolicy: GroundTruth = {
  id: 'q-900',
  question: 'What are the return rules?',
  category: 'policy',
  facts: ['45 days', '$7.50', 'Original Tags'],
  stale_facts: ['30 days'],
  relevant_ids: ['doc-001'],
};

const ok200 = (body: unknown): ScoreInput => ({
  status: 200,
  error_kind: null,
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('scoreRagAnswer', () => {
  it('scores an answer with every current fact as ok, quality 1', () => {
    expect(scoreRagAnswer(spec, ok200({ answer: 'Mail returns cost $7.50 [doc-001].', citations: ['doc-001'] }), mailReturns)).toEqual({
      outcome: 'ok',
      quality: 1,
      reasons: [],
    });
  });

  it('scores a stale fact next to a current one as stale, quality 0', () => {
    expect(scoreRagAnswer(spec, ok200({ answer: 'Mail returns cost $7.50 (it used to be $5.95) [doc-001].' }), mailReturns)).toEqual({
      outcome: 'stale',
      quality: 0,
      reasons: ['holds superseded fact "$5.95"'],
    });
  });

  it('scores a stale-only answer as stale', () => {
    expect(scoreRagAnswer(spec, ok200({ answer: 'You can return gear within 30 days.' }), returnPolicy)).toEqual({
      outcome: 'stale',
      quality: 0,
      reasons: ['holds superseded fact "30 days"'],
    });
  });

  it('does not count a superseded value cited to an unrelated document as stale', () => {
    expect(
      scoreRagAnswer(spec, ok200({ answer: 'Patch repairs cost $5.95 [doc-050]. Mail returns cost $7.50 [doc-001].' }), mailReturns),
    ).toEqual({ outcome: 'ok', quality: 1, reasons: [] });
  });

  it('scores 2 of 3 facts as partial, quality 0.6667, naming the missing one', () => {
    expect(scoreRagAnswer(spec, ok200({ answer: 'Return within 45 days; mail returns cost $7.50.' }), returnPolicy)).toEqual({
      outcome: 'partial',
      quality: 0.6667,
      reasons: ['missing fact "Original Tags"'],
    });
  });

  it('scores partial recall as ok when it reaches okRecall', () => {
    expect(
      scoreRagAnswer(ragAnswer({ okRecall: 0.6 }), ok200({ answer: 'Return within 45 days; mail returns cost $7.50.' }), returnPolicy),
    ).toEqual({ outcome: 'ok', quality: 0.6667, reasons: ['missing fact "Original Tags"'] });
  });

  it('scores an answer with none of the facts as wrong', () => {
    expect(scoreRagAnswer(spec, ok200({ answer: 'Returns are free.' }), returnPolicy)).toEqual({
      outcome: 'wrong',
      quality: 0,
      reasons: ['missing fact "45 days"', 'missing fact "$7.50"', 'missing fact "Original Tags"'],
    });
  });

  it('scores a right number with no citation on fact recall alone (citations are not checked)', () => {
    expect(scoreRagAnswer(spec, ok200({ answer: 'Mail returns cost $7.50.', citations: [] }), mailReturns)).toEqual({
      outcome: 'ok',
      quality: 1,
      reasons: [],
    });
  });

  it('matches facts case-insensitively', () => {
    expect(
      scoreRagAnswer(spec, ok200({ answer: 'RETURN WITHIN 45 DAYS WITH ORIGINAL TAGS; MAIL RETURNS COST $7.50.' }), returnPolicy),
    ).toEqual({ outcome: 'ok', quality: 1, reasons: [] });
    expect(scoreRagAnswer(spec, ok200({ answer: 'Within 30 DAYS.' }), returnPolicy).outcome).toBe('stale');
  });

  it('reads the answer from a nested field', () => {
    const nested = ragAnswer({ answer: 'data.text' });
    expect(scoreRagAnswer(nested, ok200({ data: { text: 'It costs $7.50.' } }), mailReturns)).toEqual({
      outcome: 'ok',
      quality: 1,
      reasons: [],
    });
    expect(scoreRagAnswer(nested, ok200({ data: 'It costs $7.50.' }), mailReturns)).toEqual({
      outcome: 'wrong',
      quality: 0,
      reasons: ['response field data.text is not a string'],
    });
  });

  it.each([
    ['an empty body', '', { outcome: 'empty', quality: 0, reasons: ['empty response body'] }],
    ['a whitespace-only body', ' \n\t ', { outcome: 'empty', quality: 0, reasons: ['empty response body'] }],
    ['an empty answer', { answer: '' }, { outcome: 'empty', quality: 0, reasons: ['empty answer'] }],
    ['a whitespace-only answer', { answer: ' \n ' }, { outcome: 'empty', quality: 0, reasons: ['empty answer'] }],
    ['a body that is not JSON', '<html>Bad gateway</html>', { outcome: 'wrong', quality: 0, reasons: ['response is not JSON'] }],
    ['a truncated JSON body', '{"answer": "Mail returns cost $7.', { outcome: 'wrong', quality: 0, reasons: ['response is not JSON'] }],
    [
      'JSON without the answer field',
      { text: 'Mail returns cost $7.50.' },
      { outcome: 'wrong', quality: 0, reasons: ['response field answer is not a string'] },
    ],
    ['an answer that is a number', { answer: 7.5 }, { outcome: 'wrong', quality: 0, reasons: ['response field answer is not a string'] }],
    ['an answer that is null', { answer: null }, { outcome: 'wrong', quality: 0, reasons: ['response field answer is not a string'] }],
    [
      'an answer that is a list',
      { answer: ['$7.50'] },
      { outcome: 'wrong', quality: 0, reasons: ['response field answer is not a string'] },
    ],
    [
      'a JSON string body',
      '"Mail returns cost $7.50."',
      { outcome: 'wrong', quality: 0, reasons: ['response field answer is not a string'] },
    ],
    ['a JSON null body', 'null', { outcome: 'wrong', quality: 0, reasons: ['response field answer is not a string'] }],
    [
      'a fallback',
      { answer: 'Sorry, I cannot answer right now.', fallback: true },
      { outcome: 'fallback', quality: 0, reasons: ['the service answered with its fallback'] },
    ],
    [
      'a fallback that still holds the fact',
      { answer: 'Mail returns cost $7.50.', fallback: true },
      { outcome: 'fallback', quality: 0, reasons: ['the service answered with its fallback'] },
    ],
    [
      'a fallback flag that is not true',
      { answer: 'Mail returns cost $7.50.', fallback: 'true' },
      { outcome: 'ok', quality: 1, reasons: [] },
    ],
    [
      'a fallback without an answer',
      { fallback: true },
      { outcome: 'wrong', quality: 0, reasons: ['response field answer is not a string'] },
    ],
  ])('scores %s', (_label, body, expected) => {
    expect(scoreRagAnswer(spec, ok200(body), mailReturns)).toEqual(expected);
  });

  it.each<[string, ScoreInput, { outcome: string; quality: number; reasons: string[] }]>([
    [
      'HTTP 503',
      { status: 503, error_kind: 'http_5xx', body: '{"error":"unavailable"}' },
      { outcome: 'http_error', quality: 0, reasons: ['HTTP 503'] },
    ],
    ['HTTP 429', { status: 429, error_kind: 'http_4xx', body: '' }, { outcome: 'http_error', quality: 0, reasons: ['HTTP 429'] }],
    [
      'a 500 with a good-looking body',
      { status: 500, error_kind: null, body: '{"answer":"Mail returns cost $7.50."}' },
      { outcome: 'http_error', quality: 0, reasons: ['HTTP 500'] },
    ],
    ['a timeout', { status: null, error_kind: 'timeout', body: '' }, { outcome: 'timeout', quality: 0, reasons: ['request timed out'] }],
    [
      'a reset',
      { status: null, error_kind: 'reset', body: '' },
      { outcome: 'connection_error', quality: 0, reasons: ['connection reset'] },
    ],
    [
      'a refused connection',
      { status: null, error_kind: 'refused', body: '' },
      { outcome: 'connection_error', quality: 0, reasons: ['connection refused'] },
    ],
    [
      'a connection closed mid-response',
      { status: 200, error_kind: 'closed', body: '{"answer":"Mail ret' },
      { outcome: 'connection_error', quality: 0, reasons: ['connection closed'] },
    ],
  ])('scores %s as a transport failure', (_label, input, expected) => {
    expect(scoreRagAnswer(spec, input, mailReturns)).toEqual(expected);
  });

  it('scores any non-empty answer as ok when there is no ground truth', () => {
    expect(scoreRagAnswer(spec, ok200({ answer: 'Anything at all.' }), undefined)).toEqual({
      outcome: 'ok',
      quality: 1,
      reasons: ['no ground truth for this request'],
    });
    expect(scoreRagAnswer(spec, ok200({ answer: '' }), undefined)).toEqual({ outcome: 'empty', quality: 0, reasons: ['empty answer'] });
  });

  it('scores an answer as ok when the question lists no facts', () => {
    expect(scoreRagAnswer(spec, ok200({ answer: 'Yes.' }), { ...mailReturns, facts: [], stale_facts: [] })).toEqual({
      outcome: 'ok',
      quality: 1,
      reasons: [],
    });
  });

  // Known weakness, reported: facts match as substrings, so "145 days" holds the fact "45 days" and "$17.50"
  // would not, but "130 days" holds the stale fact "30 days". Remove `.fails` once matching respects number boundaries.
  it('does not find the fact "45 days" inside "145 days"', () => {
    expect(
      scoreRagAnswer(spec, ok200({ answer: 'Return within 145 days with original tags; mail costs $7.50.' }), returnPolicy).outcome,
    ).toBe('partial');
  });
});

describe('containsFact', () => {
  it('matches whole numbers and words only', async () => {
    const { containsFact } = await import('../../harness/scoring/rag-answer.ts');
    expect(containsFact('Repairs cost $12. [doc-021]', '$12')).toBe(true);
    expect(containsFact('Repairs cost $12.50 each', '$12')).toBe(false);
    expect(containsFact('Return within 145 days', '45 days')).toBe(false);
    expect(containsFact('Return within 45 days.', '45 DAYS')).toBe(true);
    expect(containsFact('price 129.00 USD, stock 42', 'stock 4')).toBe(false);
    expect(containsFact('price 129.00 USD, stock 42', 'stock 42')).toBe(true);
    expect(containsFact('anything', '  ')).toBe(false);
  });
});
