/** The one loopback rule, and the load engine applying the same rule as the CLI and the runner. */
import { describe, expect, it } from 'vitest';
import { resolveLoadOptions } from '../../harness/load/load-options.ts';
import { assertLoopbackTarget, isLoopbackHost } from '../../harness/load/loopback.ts';

const LOOPBACK = [
  'localhost',
  'LOCALHOST',
  'app.localhost',
  '127.0.0.1',
  '127.9.8.7',
  '::1',
  '[::1]',
  '0:0:0:0:0:0:0:1',
  '::ffff:127.0.0.1',
  '[::ffff:7f00:1]',
];
const REMOTE = ['10.0.0.8', '198.18.0.2', 'example.com', 'localhost.example.com', '128.0.0.1', '::2', '::ffff:10.0.0.1', '0.0.0.0'];

describe('loopback rule', () => {
  it('accepts localhost names, 127.0.0.0/8 and ::1 (also IPv4-mapped), and nothing else', () => {
    expect(LOOPBACK.filter((h) => !isLoopbackHost(h))).toEqual([]);
    expect(REMOTE.filter((h) => isLoopbackHost(h))).toEqual([]);
  });

  it('is the load engine’s rule too: a name the runner accepts is one the engine accepts', () => {
    const next = () => ({ path: '/' });
    for (const url of ['http://app.localhost:8080/', 'http://127.9.8.7:8080/', 'http://[::ffff:127.0.0.1]:8080/']) {
      expect(() => assertLoopbackTarget(url, false)).not.toThrow();
      expect(resolveLoadOptions({ executor: 'constant-vus', url, duration_ms: 1000, next }).url.href).toBe(
        url.replace('::ffff:127.0.0.1', '::ffff:7f00:1'),
      );
    }
  });

  it('refuses a remote target with exit 2 unless allowed', () => {
    expect(() => assertLoopbackTarget('http://10.1.2.3:8080', false)).toThrow(
      'Refusing to send load to 10.1.2.3: it is not a loopback address. Shakedown loads only 127.0.0.0/8, localhost or ::1 unless you pass --allow-remote-target.',
    );
    expect(() => assertLoopbackTarget('http://10.1.2.3:8080', true)).not.toThrow();
    expect(() => assertLoopbackTarget('not a url', true)).toThrow('The SUT URL not a url is not a valid URL.');
  });
});
