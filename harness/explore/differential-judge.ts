/**
 * `explore --reference <scenario>`: a failure only counts when the reference build passes the same schedule.
 * A single build's search finds what breaks it, and the first things found are often what breaks every build
 * (the model down for 5 s: no service answers without its model); against a reference (the last release, the
 * careful twin) the search looks for what this build breaks that the reference does not, and shrinks towards the
 * smallest such schedule. A schedule both fail is a pass for fast-check, kept as `shared` with both sides' failed
 * SLOs. The reference runs only when the candidate fails (a trial costs one run when it passes).
 */
import type { Judgement } from './search-schedules.ts';

/** What a side's trial said: passed, and its failures as `phase.metric actual` lines. */
export interface SideVerdict {
  passed: boolean;
  failed: string[];
}

export interface DifferentialJudgement extends Judgement {
  /** The candidate failed and the reference failed too: what each failed. */
  shared?: { candidate: string[]; reference: string[] };
}

export function differentialJudge<T>(
  candidate: (value: T) => Promise<SideVerdict>,
  reference: (value: T) => Promise<SideVerdict>,
): (value: T) => Promise<DifferentialJudgement> {
  return async (value) => {
    const c = await candidate(value);
    if (c.passed) return { passed: true, summary: '' };
    const r = await reference(value);
    if (r.passed) return { passed: false, summary: c.failed.join(', ') };
    return {
      passed: true,
      summary: `shared: the reference fails too (${r.failed.join(', ')})`,
      shared: { candidate: c.failed, reference: r.failed },
    };
  };
}
