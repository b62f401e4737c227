import { describe, expect, it } from 'vitest';
import { answerWords } from '../../fakes/answer-words.ts';
import { mode } from '../../fakes/index.ts';
import type { AppliedMode } from '../../fakes/fake-runtime.ts';
import { seededRandom } from '../../contract/index.ts';

const request = (lastUser: string, extra: Partial<Parameters<typeof answerWords>[0]> = {}) => ({
  lastUser,
  system: '',
  allText: lastUser,
  maxTokens: null,
  ...extra,
});
const returns = (days: number) =>
  `[doc-001] Returns are accepted within ${days} days of delivery. Items must be unused.\nQuestion: How many days for returns?`;

describe('answer words', () => {
  it('answers a repeated prompt the same way, and a document whose text changed with its new text', () => {
    expect(answerWords(request(returns(14)), null).content).toBe('Returns are accepted within 14 days of delivery. [doc-001]');
    expect(answerWords(request(returns(14)), null).content).toBe('Returns are accepted within 14 days of delivery. [doc-001]');
    expect(answerWords(request(returns(30)), null)).toEqual({
      words: ['Returns', 'are', 'accepted', 'within', '30', 'days', 'of', 'delivery.', '[doc-001]'],
      content: 'Returns are accepted within 30 days of delivery. [doc-001]',
      truncated: false,
      cited: ['doc-001'],
    });
  });

  it('takes the context from the system text when the last user message has none', () => {
    const answer = answerWords(request('Question: How many days for returns?', { system: '[doc-009] Returns take 5 days.' }), null);
    expect(answer.content).toBe('Returns take 5 days. [doc-009]');
    expect(answerWords(request('Question: How many days for returns?', { system: '[doc-010] Returns take 6 days.' }), null).content).toBe(
      'Returns take 6 days. [doc-010]',
    );
  });

  it('cuts at maxTokens words, and a content fault on one request leaves the next answer of that prompt whole', () => {
    expect(answerWords(request(returns(21), { maxTokens: 3 }), null)).toEqual({
      words: ['Returns', 'are', 'accepted'],
      content: 'Returns are accepted',
      truncated: true,
      cited: [],
    });
    const refuse: AppliedMode = { id: 'r', mode: mode.refuse({ rate: 1 }).mode, random: (key) => seededRandom(1, key) };
    expect(answerWords(request(returns(21)), refuse)).toMatchObject({ content: "I'm sorry, but I can't help with that.", cited: [] });
    expect(answerWords(request(returns(21)), null).content).toBe('Returns are accepted within 21 days of delivery. [doc-001]');
  });
});
