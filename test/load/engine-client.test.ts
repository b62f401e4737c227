import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { AUTOCANNON_VERSION, assertEngineVersion } from '../../harness/load/engine-client.ts';

describe('the load engine client', () => {
  it('runs on the installed autocannon, unpatched, of the version it was checked against', () => {
    const require = createRequire(import.meta.url);
    expect((require('autocannon/package.json') as { version: string }).version).toBe(AUTOCANNON_VERSION);
    expect(() => assertEngineVersion(AUTOCANNON_VERSION)).not.toThrow();
  });

  it('refuses any other autocannon version, saying what to do', () => {
    expect(() => assertEngineVersion('9.1.0')).toThrow(
      "autocannon 9.1.0 is installed, but the load engine (harness/load/engine-client.ts) extends autocannon 9.0.0's client and was checked against that version only: run npm ci (package-lock.json pins 9.0.0).",
    );
  });
});
