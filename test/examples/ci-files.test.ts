/**
 * The CI examples in examples/ci: the GitHub Actions workflow passes actionlint (brought in with `go install`
 * when scripts/setup.sh did not: a machine that cannot get it fails this test, it does not skip), and the
 * Kubernetes Indexed Job parses and has the fields Kubernetes requires, with each pod's index mapped to a shard.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse } from 'yaml';
import { ROOT } from '../cli/helpers.ts';

const ACTIONLINT_VERSION = '1.7.12';

/** actionlint from .tools/bin, PATH, or a `go install` into the user's cache folder (once). */
function actionlint(): string {
  const local = join(ROOT, '.tools/bin/actionlint');
  if (existsSync(local)) return local;
  const onPath = spawnSync('actionlint', ['-version'], { encoding: 'utf8' });
  if (onPath.status === 0 && onPath.stdout.startsWith(ACTIONLINT_VERSION)) return 'actionlint';
  const gobin = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'shakedown', 'actionlint', ACTIONLINT_VERSION);
  const cached = join(gobin, 'actionlint');
  if (existsSync(cached)) return cached;
  const go = spawnSync('go', ['version']).status === 0 ? 'go' : existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : null;
  if (!go)
    throw new Error(
      'actionlint is not installed and there is no Go to build it: run scripts/setup.sh on a machine with Go, or put actionlint on PATH',
    );
  execFileSync(go, ['install', `github.com/rhysd/actionlint/cmd/actionlint@v${ACTIONLINT_VERSION}`], {
    env: { ...process.env, GOBIN: gobin, GOFLAGS: '-mod=mod' },
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 540_000,
  });
  return cached;
}

describe('examples/ci/nightly.yml', () => {
  const file = join(ROOT, 'examples/ci/nightly.yml');

  it('passes actionlint', { timeout: 600_000 }, () => {
    const r = spawnSync(actionlint(), ['-no-color', file], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('runs a matrix of shards, merges them, compares with the previous nightly and writes the job summary', () => {
    const wf = parse(readFileSync(file, 'utf8'));
    expect(wf.jobs.suite.strategy.matrix.shard).toEqual([1, 2, 3, 4]);
    const steps = (job: string): Array<{ run?: string; uses?: string; with?: Record<string, string> }> => wf.jobs[job].steps;
    expect(
      steps('suite').some((s) => s.run?.includes('npx shakedown run scenarios/ --shard ${{ matrix.shard }}/${{ strategy.job-total }}')),
    ).toBe(true);
    expect(wf.jobs.merge.needs).toBe('suite');
    expect(steps('merge').some((s) => s.run?.includes('npx shakedown merge shards/shakedown-shard-* --out nightly'))).toBe(true);
    expect(steps('merge').some((s) => s.run?.includes('gh run download "$run_id"') && s.run.includes('--name shakedown-nightly'))).toBe(
      true,
    );
    expect(steps('merge').some((s) => s.run?.includes('npx shakedown compare previous nightly'))).toBe(true);
    expect(steps('merge').some((s) => s.run === 'cat nightly/summary.md >> "$GITHUB_STEP_SUMMARY"')).toBe(true);
    expect(
      steps('merge').some(
        (s) => s.uses?.startsWith('actions/upload-artifact@') && s.with?.name === 'shakedown-nightly' && s.with.path === 'nightly',
      ),
    ).toBe(true);
  });
});

describe('examples/ci/nightly-job.yaml', () => {
  const docs = parseAllDocuments(readFileSync(join(ROOT, 'examples/ci/nightly-job.yaml'), 'utf8'));

  it('parses, and every document is a batch/v1 Job with the fields Kubernetes requires', () => {
    expect(docs.flatMap((d) => d.errors.map((e) => e.message))).toEqual([]);
    expect(docs).toHaveLength(2);
    for (const doc of docs) {
      const job = doc.toJS();
      expect(job.apiVersion).toBe('batch/v1');
      expect(job.kind).toBe('Job');
      expect(job.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      const pod = job.spec.template.spec;
      // A Job's pods must not restart in place: Never or OnFailure.
      expect(['Never', 'OnFailure']).toContain(pod.restartPolicy);
      expect(pod.containers.length).toBeGreaterThan(0);
      for (const c of pod.containers) {
        expect(c.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
        expect(typeof c.image).toBe('string');
        for (const m of c.volumeMounts ?? []) expect(pod.volumes.map((v: { name: string }) => v.name)).toContain(m.name);
      }
    }
  });

  it('is an Indexed Job whose pod index i runs shard i+1 of completions', () => {
    const job = docs[0].toJS();
    expect(job.spec.completionMode).toBe('Indexed');
    expect(Number.isInteger(job.spec.completions)).toBe(true);
    expect(job.spec.parallelism).toBeLessThanOrEqual(job.spec.completions);
    const script = job.spec.template.spec.containers[0].args.join(' ');
    expect(script).toContain(`--shard "$((JOB_COMPLETION_INDEX + 1))/${job.spec.completions}"`);
    expect(script).toContain('npx shakedown run scenarios/');
    // The shell arithmetic really maps index 0..N-1 to shards 1..N.
    const shards = Array.from({ length: job.spec.completions }, (_, i) =>
      execFileSync('sh', ['-c', 'echo "$((JOB_COMPLETION_INDEX + 1))/4"'], {
        env: { JOB_COMPLETION_INDEX: String(i) },
        encoding: 'utf8',
      }).trim(),
    );
    expect(shards).toEqual(['1/4', '2/4', '3/4', '4/4']);
    expect(docs[1].toJS().spec.template.spec.containers[0].args.join(' ')).toContain('npx shakedown merge /results/$NIGHTLY/shard-*');
  });
});
