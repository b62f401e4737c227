import { describe, expect, it } from 'vitest';
import { answerWords } from '../../fakes/answer-words.ts';
import { parseChatRequest } from '../../fakes/chat-request.ts';
import { parseResponsesRequest } from '../../fakes/responses-api.ts';
import type { AppliedMode } from '../../fakes/fake-runtime.ts';
import { hashString, seededRandom, type FakeMode } from '../../contract/index.ts';
import { answerPrompt, classify, isRagPrompt, promptLabels } from '../../fakes/prompt-answerer.ts';

const ARTICLE =
  'Summarize the following text in 2 sentences:\n' +
  'The storm closed the harbour on Monday. Ferries to the islands were cancelled for 36 hours. Shops stayed open. ' +
  'Engineers inspected 4 cranes and found cracks in two of them, so the port authority kept the container terminal shut until Thursday.';
const SUMMARY =
  'Ferries to the islands were cancelled for 36 hours. Engineers inspected 4 cranes and found cracks in two of them, so the port authority kept the container terminal shut until Thursday.';
const TICKET = 'Classify the ticket as one of: billing, shipping, other.\nMy parcel shipping is late.';

/** A rolled mode as the fake runtime hands it over: the mode and its seeded generator per request text. */
const applied = (mode: FakeMode): AppliedMode =>
  ({ mode, random: (key: string) => seededRandom(7, 'model', mode.kind, key) }) as AppliedMode;
const request = (lastUser: string, extra: { responseFormat?: unknown; maxTokens?: number } = {}) => ({
  lastUser,
  system: '',
  allText: lastUser,
  maxTokens: extra.maxTokens ?? null,
  responseFormat: extra.responseFormat,
});

describe('prompt-derived answers', () => {
  it('summarizes with the sentences that carry the most content words, as many as asked, in their order', () => {
    expect(answerPrompt({ lastUser: ARTICLE, system: '' })).toEqual({
      text: SUMMARY,
      citations: [],
      sentences: [
        { text: 'Ferries to the islands were cancelled for 36 hours.', id: '' },
        {
          text: 'Engineers inspected 4 cranes and found cracks in two of them, so the port authority kept the container terminal shut until Thursday.',
          id: '',
        },
      ],
    });
  });

  it('keeps 3 sentences when the prompt asks for no number', () => {
    expect(
      answerPrompt({ lastUser: 'A b c d. One two three cats sat. Dogs ran far away today. Birds sang songs loudly. Fish.', system: '' })
        .text,
    ).toBe('One two three cats sat. Dogs ran far away today. Birds sang songs loudly.');
  });

  it('reads the labels a prompt offers', () => {
    expect(promptLabels(TICKET)).toEqual(['billing', 'shipping', 'other']);
    expect(promptLabels('Labels: "spam" | "ham"')).toEqual(['spam', 'ham']);
    expect(promptLabels('Answer yes or no.')).toEqual([]);
  });

  it('classifies by shared content words, and breaks ties by a hash of the text, the same every time', () => {
    expect(answerPrompt({ lastUser: TICKET, system: '' }).text).toBe('shipping');
    const labels = ['billing', 'shipping', 'other'];
    expect(hashString('Hello there.') % 3).toBe(0);
    expect(classify('Hello there.', labels)).toBe('billing');
    expect(hashString('Hello there!') % 3).toBe(2);
    expect(classify('Hello there!', labels)).toBe('other');
    expect(classify('Refund my billing, and the shipping too', labels)).toBe(
      labels[hashString('Refund my billing, and the shipping too') % 2],
    );
  });

  it('takes the labels from the system message and classifies the user message', () => {
    expect(answerPrompt({ system: 'Label the message as one of: refund, delivery', lastUser: 'Where is my delivery?' }).text).toBe(
      'delivery',
    );
  });

  it('fills a JSON schema’s required fields from the prompt', () => {
    const schema = {
      type: 'object',
      required: ['title', 'hours', 'topics', 'urgent', 'kind'],
      properties: {
        title: { type: 'string' },
        hours: { type: 'integer' },
        topics: { type: 'array', items: { type: 'string' } },
        urgent: { type: 'boolean' },
        kind: { enum: ['weather', 'finance'] },
        ignored: { type: 'string' },
      },
    };
    const answer = answerPrompt({
      lastUser: ARTICLE,
      system: '',
      responseFormat: { type: 'json_schema', json_schema: { name: 'report', schema } },
    });
    expect(JSON.parse(answer.text)).toEqual({
      title: 'Ferries to the islands were cancelled for 36 hours.',
      hours: 36,
      topics: ['storm', 'closed', 'harbour'],
      urgent: true,
      kind: 'weather',
    });
  });

  it('answers json_object with a label or a summary', () => {
    expect(answerPrompt({ lastUser: TICKET, system: '', responseFormat: { type: 'json_object' } }).text).toBe('{"label":"shipping"}');
    expect(answerPrompt({ lastUser: 'Sum it up. The cat sat.', system: '', responseFormat: { type: 'json_object' } }).text).toBe(
      '{"summary":"Sum it up. The cat sat."}',
    );
  });

  it('leaves RAG prompts to the extractive answerer', () => {
    expect(isRagPrompt('[doc-001] Returns within 14 days.\nQuestion: returns?')).toBe(true);
    expect(isRagPrompt('question: how long?')).toBe(true);
    expect(isRagPrompt(ARTICLE)).toBe(false);
    expect(answerWords(request('Question: what is the capital of Mars?'), null).content).toBe(
      'I could not find this in the provided context.',
    );
  });
});

describe('content faults on prompt-derived answers', () => {
  it('answers the same prompt the same way, without citations', () => {
    expect(answerWords(request(ARTICLE), null)).toEqual({ words: SUMMARY.split(' '), content: SUMMARY, truncated: false, cited: [] });
  });

  it('drop_facts removes a sentence, perturb_numbers changes the numbers, truncate cuts with finish_reason length', () => {
    expect(answerWords(request(ARTICLE), applied({ kind: 'drop_facts', rate: 1, count: 1 } as FakeMode)).content).toBe(
      'Engineers inspected 4 cranes and found cracks in two of them, so the port authority kept the container terminal shut until Thursday.',
    );
    const perturbed = answerWords(request(ARTICLE), applied({ kind: 'perturb_numbers', rate: 1 } as FakeMode)).content;
    expect(perturbed.replace(/\d+/g, '#')).toBe(SUMMARY.replace(/\d+/g, '#'));
    expect(perturbed.match(/\d+/g)).not.toEqual(['36', '4']);
    expect(answerWords(request(ARTICLE), applied({ kind: 'truncate', rate: 1, keep_ratio: 0.25 } as FakeMode))).toEqual({
      words: SUMMARY.split(' ').slice(0, 7),
      content: 'Ferries to the islands were cancelled for',
      truncated: true,
      cited: [],
    });
    expect(answerWords(request(ARTICLE), applied({ kind: 'wrong_citations', rate: 1 } as FakeMode)).content).toBe(SUMMARY);
  });

  it('max_tokens cuts a JSON answer and says so', () => {
    const cut = answerWords(request(TICKET, { responseFormat: { type: 'json_object' }, maxTokens: 1 }), null);
    expect(cut).toEqual({ words: ['{"label":"shipping"}'], content: '{"label":"shipping"}', truncated: false, cited: [] });
    const summary = answerWords(request(ARTICLE, { maxTokens: 3 }), null);
    expect(summary).toEqual({ words: ['Ferries', 'to', 'the'], content: 'Ferries to the', truncated: true, cited: [] });
  });
});

describe('the response format as the endpoints read it', () => {
  const schema = { type: 'object', required: ['label'], properties: { label: { enum: ['billing', 'shipping', 'other'] } } };

  it('chat completions: response_format json_schema', () => {
    const parsed = parseChatRequest({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: TICKET }],
      response_format: { type: 'json_schema', json_schema: { name: 'label', schema } },
    });
    expect(parsed instanceof Response ? parsed.status : answerWords(parsed, null).content).toBe('{"label":"shipping"}');
  });

  it('Responses API: text.format json_schema', () => {
    const parsed = parseResponsesRequest({
      model: 'gpt-4o-mini',
      input: TICKET,
      text: { format: { type: 'json_schema', name: 'label', schema } },
    });
    expect(parsed instanceof Response ? parsed.status : answerWords(parsed, null).content).toBe('{"label":"shipping"}');
  });
});
