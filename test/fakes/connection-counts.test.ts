import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningFakes, control, fixtureConfig, startFakes } from './fakes-fixture.ts';

/** GET `url` on `agent`, body read to the end. */
function get(agent: http.Agent, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

describe('fake connection counts (stats.connections: the links a toxic is rolled for)', () => {
  let fakes: RunningFakes;
  beforeAll(async () => {
    fakes = await startFakes(fixtureConfig());
  });
  afterAll(() => fakes?.close());

  it('counts connections opened and open: keep-alive requests share one, a closed agent leaves none open', async () => {
    const stats = async () => (await control(fakes, 'GET', '/fakes/api/stats')).body.connections;
    expect(await stats()).toEqual({ opened: 0, open: 0 });
    const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const url = `${fakes.fakes.api.url}/inventory/sku-1`;
    for (let i = 0; i < 3; i++) await get(keepAlive, url);
    expect(await stats()).toEqual({ opened: 1, open: 1 });
    const fresh = new http.Agent({ keepAlive: false });
    await get(fresh, url);
    await expect.poll(stats).toEqual({ opened: 2, open: 1 });
    keepAlive.destroy();
    await expect.poll(stats).toEqual({ opened: 2, open: 0 });
  });
});
