import { describe, expect, it } from 'vitest';
import { describeFault, mode, toxic, type FaultAction } from '../../harness/scenario/faults.ts';

describe('toxic factories', () => {
  it.each<[string, FaultAction, FaultAction]>([
    [
      'latency',
      toxic.latency({ latency: 2000, jitter: 200 }),
      { kind: 'toxic', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 2000, jitter: 200 } },
    ],
    [
      'latency without jitter',
      toxic.latency({ latency: 300 }),
      { kind: 'toxic', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 300, jitter: 0 } },
    ],
    [
      'bandwidth upstream',
      toxic.bandwidth({ rate: 64, stream: 'upstream' }),
      { kind: 'toxic', type: 'bandwidth', stream: 'upstream', toxicity: 1, attributes: { rate: 64 } },
    ],
    [
      'slow_close',
      toxic.slowClose({ delay: 500 }),
      { kind: 'toxic', type: 'slow_close', stream: 'downstream', toxicity: 1, attributes: { delay: 500 } },
    ],
    [
      'timeout',
      toxic.timeout({ timeout: 0 }),
      { kind: 'toxic', type: 'timeout', stream: 'downstream', toxicity: 1, attributes: { timeout: 0 } },
    ],
    [
      'reset_peer with no options',
      toxic.resetPeer(),
      { kind: 'toxic', type: 'reset_peer', stream: 'downstream', toxicity: 1, attributes: { timeout: 0 } },
    ],
    [
      'reset_peer on a share of connections',
      toxic.resetPeer({ timeout: 100, toxicity: 0.25 }),
      { kind: 'toxic', type: 'reset_peer', stream: 'downstream', toxicity: 0.25, attributes: { timeout: 100 } },
    ],
    [
      'slicer',
      toxic.slicer({ averageSize: 64, sizeVariation: 8, delay: 10 }),
      { kind: 'toxic', type: 'slicer', stream: 'downstream', toxicity: 1, attributes: { average_size: 64, size_variation: 8, delay: 10 } },
    ],
    [
      'slicer defaults',
      toxic.slicer({ averageSize: 64 }),
      { kind: 'toxic', type: 'slicer', stream: 'downstream', toxicity: 1, attributes: { average_size: 64, size_variation: 0, delay: 0 } },
    ],
    [
      'limit_data',
      toxic.limitData({ bytes: 1024 }),
      { kind: 'toxic', type: 'limit_data', stream: 'downstream', toxicity: 1, attributes: { bytes: 1024 } },
    ],
    ['down', toxic.down(), { kind: 'down' }],
  ])('builds %s as plain data', (_label, built, expected) => {
    expect(built).toEqual(expected);
    expect(JSON.parse(JSON.stringify(built))).toEqual(expected);
  });
});

describe('mode factories', () => {
  it.each<[string, FaultAction, FaultAction]>([
    ['httpError', mode.httpError({ status: 503 }), { kind: 'mode', mode: { kind: 'http_error', rate: 1, status: 503 } }],
    [
      'httpError with every option',
      mode.httpError({ status: 429, rate: 0.3, code: 'rate_limit_exceeded', message: 'slow down', retryAfter: 2 }),
      {
        kind: 'mode',
        mode: { kind: 'http_error', rate: 0.3, status: 429, retry_after_s: 2, code: 'rate_limit_exceeded', message: 'slow down' },
      },
    ],
    [
      'rateLimit',
      mode.rateLimit(),
      { kind: 'mode', mode: { kind: 'http_error', rate: 1, status: 429, retry_after_s: 1, code: 'rate_limit_exceeded' } },
    ],
    [
      'rateLimit with options',
      mode.rateLimit({ rate: 0.5, retryAfter: 3 }),
      { kind: 'mode', mode: { kind: 'http_error', rate: 0.5, status: 429, retry_after_s: 3, code: 'rate_limit_exceeded' } },
    ],
    ['streamStall', mode.streamStall({ afterChunks: 2 }), { kind: 'mode', mode: { kind: 'stream_stall', rate: 1, after_chunks: 2 } }],
    [
      'streamCut',
      mode.streamCut({ afterChunks: 3, rate: 0.5 }),
      { kind: 'mode', mode: { kind: 'stream_cut', rate: 0.5, after_chunks: 3 } },
    ],
    ['stale', mode.stale(), { kind: 'mode', mode: { kind: 'stale', rate: 1 } }],
    ['toolArgsTruncated', mode.toolArgsTruncated(), { kind: 'mode', mode: { kind: 'tool_args_truncated', rate: 1 } }],
    [
      'toolArgsInvalid',
      mode.toolArgsInvalid({ violation: 'wrong_type', rate: 0.2 }),
      { kind: 'mode', mode: { kind: 'tool_args_invalid', rate: 0.2, violation: 'wrong_type' } },
    ],
    ['toolUnknown', mode.toolUnknown({ name: 'rm_rf' }), { kind: 'mode', mode: { kind: 'tool_unknown', rate: 1, name: 'rm_rf' } }],
    [
      'streamError',
      mode.streamError({ afterChunks: 2, type: 'api_error' }),
      { kind: 'mode', mode: { kind: 'stream_error', rate: 1, after_chunks: 2, type: 'api_error' } },
    ],
  ])('builds %s as plain data', (_label, built, expected) => {
    expect(built).toEqual(expected);
    // Leaves optional fields out rather than writing undefined, so the data prints and stores as written.
    expect(JSON.parse(JSON.stringify(built))).toStrictEqual(expected);
  });
});

describe('describeFault', () => {
  it.each<[FaultAction, string]>([
    [toxic.latency({ latency: 2000, jitter: 200 }), 'latency 2000±200ms downstream'],
    [toxic.latency({ latency: 300 }), 'latency 300ms downstream'],
    [toxic.latency({ latency: 300, toxicity: 0.3 }), 'latency 300ms downstream @30% of connections'],
    [toxic.bandwidth({ rate: 64, stream: 'upstream' }), 'bandwidth 64KB/s upstream'],
    [toxic.slowClose({ delay: 500 }), 'slow_close 500ms downstream'],
    [toxic.timeout({ timeout: 0 }), 'timeout hold (no data, closed when removed) downstream'],
    [toxic.timeout({ timeout: 300 }), 'timeout 300ms downstream'],
    [toxic.resetPeer(), 'reset_peer at once downstream'],
    [toxic.resetPeer({ timeout: 150 }), 'reset_peer 150ms downstream'],
    [toxic.slicer({ averageSize: 64, sizeVariation: 8, delay: 10 }), 'slicer 64B/10µs downstream'],
    [toxic.limitData({ bytes: 1024 }), 'limit_data 1024B downstream'],
    [toxic.down(), 'down'],
    [mode.httpError({ status: 503 }), 'http_error 503'],
    [mode.httpError({ status: 429, rate: 0.3 }), 'http_error 429 @30%'],
    [mode.rateLimit({ rate: 0.3 }), 'http_error 429 retry-after 1s @30%'],
    [mode.streamStall({ afterChunks: 2 }), 'stream_stall after 2 chunks'],
    [mode.streamCut({ afterChunks: 3, rate: 0.5 }), 'stream_cut after 3 chunks @50%'],
    [mode.stale(), 'stale'],
    [mode.streamError({ afterChunks: 2, rate: 0.5 }), 'stream_error after 2 chunks @50%'],
    [mode.toolArgsInvalid(), 'tool_args_invalid'],
    [mode.stale({ rate: 0.125 }), 'stale @13%'],
  ])('describes %j as %s', (action, text) => {
    expect(describeFault(action)).toBe(text);
  });
});
