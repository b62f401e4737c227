import { describe, expect, it } from 'vitest';
import { NOT_FOUND_ANSWER, answerQuestion, parsePrompt } from '../../fakes/index.ts';

const prompt = [
  'Use only this context.',
  '[doc-001] Returns are accepted within 14 days of delivery. Items must be unused.',
  '[doc-002] Express shipping costs $12.50 and takes 1 business day. Standard shipping takes 4 business days.',
  '[SKU-1001] Trail Runner 2 price 129.00 USD, stock 42',
  'Question: How many days do I have to return an item after delivery?',
].join('\n');

describe('extractive answerer', () => {
  it('splits context lines into sentences that keep the id of their line', () => {
    const parsed = parsePrompt(prompt);
    expect(parsed.context.map((s) => [s.id, s.text])).toEqual([
      ['doc-001', 'Returns are accepted within 14 days of delivery.'],
      ['doc-001', 'Items must be unused.'],
      ['doc-002', 'Express shipping costs $12.50 and takes 1 business day.'],
      ['doc-002', 'Standard shipping takes 4 business days.'],
      ['SKU-1001', 'Trail Runner 2 price 129.00 USD, stock 42'],
    ]);
    expect(parsed.question).toBe('How many days do I have to return an item after delivery?');
  });

  it('answers with the best-matching sentences in context order, each citing its id, ties going to earlier sentences', () => {
    // "return", "day", "delivery" (3) beat "item" (1), "day" (1), "day" (1): the two earliest 1s fill the answer.
    const answer = answerQuestion(parsePrompt(prompt));
    expect(answer.text).toBe(
      'Returns are accepted within 14 days of delivery. [doc-001] Items must be unused. [doc-001] ' +
        'Express shipping costs $12.50 and takes 1 business day. [doc-002]',
    );
    expect(answer.citations).toEqual(['doc-001', 'doc-001', 'doc-002']);
  });

  it('matches a price question to the live product line through the word "cost"', () => {
    const answer = answerQuestion(parsePrompt(prompt.replace(/Question: .*/, 'Question: What does the Trail Runner 2 cost?')));
    expect(answer.text).toBe(
      'Express shipping costs $12.50 and takes 1 business day. [doc-002] Trail Runner 2 price 129.00 USD, stock 42 [SKU-1001]',
    );
  });

  it('keeps at most three sentences, preferring higher scores and then earlier sentences', () => {
    const lines = ['[a] Red apples grow.', '[b] Red apples fall.', '[c] Red apples rot.', '[d] Red apples shine.', '[e] Red pears.'];
    const answer = answerQuestion(parsePrompt(`${lines.join('\n')}\nQuestion: red apples?`));
    expect(answer.citations).toEqual(['a', 'b', 'c']);
  });

  it('says it could not find the answer when no sentence shares a content word with the question', () => {
    const answer = answerQuestion(parsePrompt('[doc-009] Tents are waterproof.\nQuestion: Who founded the company?'));
    expect(answer).toEqual({ text: NOT_FOUND_ANSWER, citations: [], sentences: [] });
  });
});
