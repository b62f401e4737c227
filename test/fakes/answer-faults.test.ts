import { describe, expect, it } from 'vitest';
import { applyAnswerFault, citedIds, inventId, perturbNumber } from '../../fakes/answer-faults.ts';
import { answerQuestion, parsePrompt } from '../../fakes/extractive-answerer.ts';
import type { FakeMode } from '../../contract/index.ts';
import { seededRandom } from '../../contract/index.ts';

const prompt = parsePrompt(
  [
    '[doc-001] Returns are accepted within 14 days of delivery. Items must be unused and come back with their original tags.',
    '[doc-002] Express shipping costs $4.99 and takes 2 business days.',
    '[SKU-1001] Trail Runner 2 price 129 USD, stock 42',
    'Question: Which unused items with tags, express shipping cost and days, trail runner price?',
  ].join('\n'),
);
const answer = answerQuestion(prompt);
const contextIds = ['doc-001', 'doc-002', 'SKU-1001'];
const ORIGINAL =
  'Items must be unused and come back with their original tags. [doc-001] Express shipping costs $4.99 and takes 2 business days. [doc-002] ' +
  'Trail Runner 2 price 129 USD, stock 42 [SKU-1001]';
const apply = (mode: FakeMode, seed = 1, target = answer) =>
  applyAnswerFault(mode, target, contextIds, seededRandom(seed, 'model', 'm', 'choice', 'k'));

describe('model content faults', () => {
  it('starts from a three-sentence answer citing three ids', () => {
    expect(answer.text).toBe(ORIGINAL);
    expect(citedIds(answer.text)).toEqual(contextIds);
  });

  it('drop_facts removes seeded sentences, never the last one, and leaves a one-sentence answer whole', () => {
    expect(apply({ kind: 'drop_facts', rate: 1 }, 1)).toEqual({
      text: 'Items must be unused and come back with their original tags. [doc-001] Express shipping costs $4.99 and takes 2 business days. [doc-002]',
      truncated: false,
    });
    expect(apply({ kind: 'drop_facts', rate: 1 }, 2).text).toBe(
      'Express shipping costs $4.99 and takes 2 business days. [doc-002] Trail Runner 2 price 129 USD, stock 42 [SKU-1001]',
    );
    expect(citedIds(apply({ kind: 'drop_facts', rate: 1, count: 9 }).text)).toHaveLength(1);
    const single = answerQuestion(parsePrompt('[doc-9] Tents ship in 2 days.\nQuestion: When do tents ship?'));
    expect(apply({ kind: 'drop_facts', rate: 1 }, 1, single).text).toBe('Tents ship in 2 days. [doc-9]');
  });

  it('perturb_numbers changes every number outside the citations by a seeded step', () => {
    expect(apply({ kind: 'perturb_numbers', rate: 1 }, 1).text).toBe(
      'Items must be unused and come back with their original tags. [doc-001] Express shipping costs $5.99 and takes 3 business days. [doc-002] ' +
        'Trail Runner 4 price 127 USD, stock 41 [SKU-1001]',
    );
    expect(apply({ kind: 'perturb_numbers', rate: 1 }, 2).text).toContain('costs $5.49 and takes 3 business days');
    expect(['14', '4.99', '1,299.00', '0.5', '02'].map((n) => perturbNumber(n, seededRandom(3)))).toEqual([
      '16',
      '5.99',
      '1,300.00',
      '1.5',
      '04',
    ]);
    expect(['14', '4.99', '1,299.00', '0.5', '02'].map((n) => perturbNumber(n, seededRandom(4)))).toEqual([
      '13',
      '4.49',
      '1,298.50',
      '1.0',
      '01',
    ]);
  });

  it('wrong_citations cites invented look-alike ids or other context ids, never the right one', () => {
    expect(citedIds(apply({ kind: 'wrong_citations', rate: 1 }, 1).text)).toEqual(['doc-963', 'doc-988', 'SKU-9003']);
    expect(citedIds(apply({ kind: 'wrong_citations', rate: 1 }, 2).text)).toEqual(['SKU-1001', 'SKU-1001', 'doc-001']);
    const fromContext = citedIds(apply({ kind: 'wrong_citations', rate: 1, source: 'context' }, 5).text);
    fromContext.forEach((id, i) => {
      expect(contextIds).toContain(id);
      expect(id).not.toBe(contextIds[i]);
    });
    const invented = citedIds(apply({ kind: 'wrong_citations', rate: 1, source: 'invented' }, 5).text);
    invented.forEach((id) => expect(id).toMatch(/^(doc-9\d\d|SKU-9\d\d\d)$/));
    expect(apply({ kind: 'wrong_citations', rate: 1 }, 1).text.replace(/\[[^\]]+\]/g, '[]')).toBe(ORIGINAL.replace(/\[[^\]]+\]/g, '[]'));
    expect(inventId('faq', new Set(), seededRandom(1))).toBe('faq-98');
  });

  it('truncate keeps keep_ratio of the words and reports the cut', () => {
    expect(apply({ kind: 'truncate', rate: 1 })).toEqual({
      text: 'Items must be unused and come back with their original tags. [doc-001] Express shipping costs',
      truncated: true,
    });
    expect(apply({ kind: 'truncate', rate: 1, keep_ratio: 0.01 }).text).toBe('Items');
  });

  it('refuse answers the refusal text, citing nothing', () => {
    expect(apply({ kind: 'refuse', rate: 1 })).toEqual({ text: "I'm sorry, but I can't help with that.", truncated: false });
    expect(apply({ kind: 'refuse', rate: 1, message: 'No.' }).text).toBe('No.');
  });

  it('makes the same choices for the same seed and key', () => {
    for (const kind of ['drop_facts', 'perturb_numbers', 'wrong_citations'] as const) {
      const texts = Array.from({ length: 6 }, (_, seed) => apply({ kind, rate: 1 }, seed).text);
      expect(Array.from({ length: 6 }, (_, seed) => apply({ kind, rate: 1 }, seed).text)).toEqual(texts);
      expect(new Set(texts).size).toBeGreaterThan(1);
    }
  });
});
