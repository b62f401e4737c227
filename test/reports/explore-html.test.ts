import { describe, expect, it } from 'vitest';
import { renderExploreHtml } from '../../reports/explore-html.ts';
import { exploreResult as result } from './explore-fixture.ts';

describe('explore.html', () => {
  const html = renderExploreHtml(result);

  it('shows the minimal schedule, its verdicts, the shrink path and every trial', () => {
    expect(html).toContain('<h3>Minimal failing schedule</h3><p>model: latency 4000ms downstream from 1s for 3.5s</p>');
    expect(html).toContain('--seed 1 --path 0:0');
    expect(html).toContain(
      '<td>model-latency</td><td>p99_ms</td><td>&lt; 3000</td><td class="n">4100</td><td><span class="fail">failed</span></td>',
    );
    expect(html).toContain('<tr><td>first failure</td><td class="n">2</td>');
    expect(html).toContain('<tr><td>1</td><td class="n">1</td>');
    expect(html).toContain('<tr><td class="n">2</td><td>shrink</td>');
    expect(html).toContain('budget spent, 3 generated schedules not run');
    expect(html).toContain('Not judged in trials (no such phase): slos.model-latency.p99_ms');
  });

  it('plots each sweep metric against the intensity in its unit, sorted by intensity', () => {
    const charts = JSON.parse(/<script type="application\/json" id="shakedown-charts">(.*?)<\/script>/s.exec(html)![1]).charts;
    expect(charts.map((c: { id: string }) => c.id)).toEqual(['sweep-ms', 'sweep-rate']);
    expect(charts[0].x).toEqual([0, 5000]);
    expect(charts[0].xUnit).toBe('ms');
    expect(charts[0].series).toEqual([{ label: 'model-latency.p99_ms', color: '#2b6cb0', values: [40, 5100] }]);
    expect(charts[0].shade).toEqual([{ from: 2344, to: 2500, label: 'breaking point' }]);
    expect(charts[1].series[0].values).toEqual([0, 0]);
    expect(html).toContain('SLOs break between 2344 and 2500; first SLO to break: <code>model-latency.p99_ms</code>');
  });

  it('is self-contained: no script or stylesheet from the network', () => {
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
  });
});
