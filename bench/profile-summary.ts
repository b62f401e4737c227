/**
 * Summarises a V8 CPU profile (`node --cpu-prof`): the top functions by self time, with their share of the
 * sampled time. Usage: node bench/profile-summary.ts <file.cpuprofile> [N=25]
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export function summarize(file: string, top = 25): string {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
  const byFn = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const c = byId.get(id)!.callFrame;
    const where = c.url ? `${c.url.replace(/^file:\/\/.*?\/(node_modules|harness|fakes|bench|reports)\//, '$1/')}:${c.lineNumber + 1}` : '';
    const key = `${c.functionName || '(anonymous)'} ${where}`.trim();
    byFn.set(key, (byFn.get(key) ?? 0) + us);
    total += us;
  }
  const rows = [...byFn].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [
    `${file}: ${(total / 1000).toFixed(0)} ms sampled`,
    ...rows.map(([k, us]) => `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`),
  ].join('\n');
}

if (import.meta.main) console.log(summarize(process.argv[2], Number(process.argv[3] ?? 25)));
