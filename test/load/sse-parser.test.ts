/** The incremental SSE parser: the spec's line and field rules, and any split of a body giving the same events. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSseParser, type SseEvent } from '../../harness/load/sse-parser.ts';

const parseAll = (pieces: string[]): SseEvent[] => {
  const parser = createSseParser();
  return pieces.flatMap((p) => parser.push(p));
};

describe('createSseParser', () => {
  it('dispatches an event per blank line, joining data lines with a newline', () => {
    expect(parseAll(['data: {"delta": "a"}\n\ndata: one\ndata: two\n\n'])).toEqual([
      { type: 'message', data: '{"delta": "a"}', id: '' },
      { type: 'message', data: 'one\ntwo', id: '' },
    ]);
  });

  it('reads event names and ids, ignores comments, unknown fields and retry, and drops one space after the colon', () => {
    expect(parseAll([': keep-alive\nevent: error\nid: 7\nretry: 10\nfoo: bar\ndata:  two spaces\n\ndata\n\n'])).toEqual([
      { type: 'error', data: ' two spaces', id: '7' },
      { type: 'message', data: '', id: '7' },
    ]);
  });

  it('accepts CRLF, CR and LF line ends, a CRLF split across two pieces counting as one', () => {
    expect(parseAll(['data: a\r', '\n\r', '\ndata: b\r\rdata: c\n\n'])).toEqual([
      { type: 'message', data: 'a', id: '' },
      { type: 'message', data: 'b', id: '' },
      { type: 'message', data: 'c', id: '' },
    ]);
  });

  it('never dispatches an event without its blank line (a stream cut mid-event), nor a blank line without data', () => {
    expect(parseAll(['\n\nevent: x\n\n', 'data: cut'])).toEqual([]);
  });

  it('drops a byte order mark at the start of the stream only', () => {
    // later, U+FEFF is part of a field name: `\uFEFFdata` is an unknown field, so that event has no data
    expect(parseAll(['\uFEFF', 'data: a\n\n\uFEFFdata: b\n\n'])).toEqual([{ type: 'message', data: 'a', id: '' }]);
  });
});

/** A valid SSE body: events of data/event/id/comment lines with a random line-end style per line. */
const sseBody = fc
  .array(
    fc.record({
      lines: fc.array(
        fc.oneof(
          fc.string({ unit: fc.constantFrom('a', 'b', ' ', ':', '{', '"', 'é', '😀', '[', ']') }).map((v) => `data: ${v}`),
          fc.string({ unit: fc.constantFrom('x', 'y', '-') }).map((v) => `event: ${v}`),
          fc.nat(99).map((n) => `id: ${n}`),
          fc.string({ unit: fc.constantFrom('k', ' ') }).map((v) => `: ${v}`),
        ),
        { minLength: 1, maxLength: 5 },
      ),
      ends: fc.array(fc.constantFrom('\n', '\r', '\r\n'), { minLength: 6, maxLength: 6 }),
    }),
    { maxLength: 8 },
  )
  .map((events) => events.map((e) => e.lines.map((l, i) => l + e.ends[i]).join('') + e.ends[5]).join(''));

describe('createSseParser, any split', () => {
  it('gives the same events for any split of a valid SSE body into pieces', () => {
    fc.assert(
      fc.property(sseBody, fc.array(fc.nat(), { maxLength: 12 }), (body, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (body.length + 1)))].sort((a, b) => a - b);
        const pieces: string[] = [];
        let from = 0;
        for (const p of points) {
          pieces.push(body.slice(from, p));
          from = p;
        }
        pieces.push(body.slice(from));
        expect(parseAll(pieces)).toEqual(parseAll([body]));
        expect(parseAll([...body])).toEqual(parseAll([body])); // one UTF-16 unit at a time
      }),
      { numRuns: 500 },
    );
  });
});

describe('createSseParser, against a model', () => {
  it('returns exactly the events a body was built from (LF or CRLF line ends)', () => {
    const event = fc.record({
      type: fc.constantFrom('message', 'error', 'delta'),
      data: fc.array(fc.string({ unit: fc.constantFrom('a', ' ', ':', '"', 'é', '😀') }), { minLength: 1, maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 6 }), fc.constantFrom('\n', '\r\n'), (events, eol) => {
        const body = events.map((e) => `event: ${e.type}${eol}${e.data.map((d) => `data: ${d}${eol}`).join('')}${eol}`).join('');
        expect(parseAll([body])).toEqual(events.map((e) => ({ type: e.type, data: e.data.join('\n'), id: '' })));
      }),
      { numRuns: 300 },
    );
  });
});
