/**
 * Applies each fault at its offset from t0 and removes it when its window ends, recording evidence: when it
 * was really applied and removed (ms since t0), and the fake's counters across the window as proof that the
 * fault reached traffic. `stopAll()` removes whatever is still active (end of run, interrupt, failure).
 */
import type { FaultEvidence } from '../results/result-types.ts';
import type { ResolvedFault } from '../scenario/index.ts';
import type { ProxyManager } from '../toxiproxy/index.ts';
import type { FakesProcess, FakeStats } from './fakes-process.ts';
import type { TamperCheck, TamperTarget } from './tamper-check.ts';

export interface FaultEvent {
  type: 'applied' | 'removed' | 'failed';
  fault: ResolvedFault;
  t_ms: number;
  error?: string;
}

export interface FaultScheduler {
  /** Starts the timers; `t0` is `performance.now()` at the start of measured load. */
  start(t0: number): void;
  /**
   * Clears timers and removes every active fault now. Never throws; returns the faults that could not be removed
   * (teardown problems). What the evidence says (not exercised, counters not read) stays in `evidence()`.
   */
  stopAll(): Promise<string[]>;
  /** Names of faults active now. */
  active(): string[];
  evidence(): FaultEvidence[];
}

export function createFaultScheduler(options: {
  faults: readonly ResolvedFault[];
  proxies: ProxyManager;
  fakes: FakesProcess;
  onEvent?: (event: FaultEvent) => void;
  /** Told what the run changes, and asked to compare after each change (not awaited: off the fault's path). */
  tamper?: TamperCheck;
  /** A fault that did not apply: the run measured something other than its scenario and fails (exit 3). */
  onApplyFailed?: (fault: ResolvedFault, message: string) => void;
}): FaultScheduler {
  const { faults, proxies, fakes } = options;
  const timers: NodeJS.Timeout[] = [];
  const active = new Set<string>();
  const downCount = new Map<string, number>();
  let t0 = 0;
  const now = () => Math.round((performance.now() - t0) * 1000) / 1000;
  const records = new Map<string, FaultEvidence>(
    faults.map((f) => [
      f.name,
      {
        name: f.name,
        on: f.on,
        description: f.description,
        at_ms: f.at_ms,
        for_ms: f.for_ms,
        applied_at_ms: null,
        removed_at_ms: null,
        target: {
          proxy: f.on,
          ...(f.fault.kind === 'toxic' ? { toxic: `shakedown-${f.name}` } : {}),
          ...(f.fault.kind === 'mode' ? { mode_id: f.name, fake: f.on } : {}),
        },
        proof: {
          fake_requests_in_window: null,
          mode_applied: null,
          samples_in_window: 0,
          failed_samples_in_window: 0,
          connections_in_window: null,
        },
        recovery_s: null,
        recovery: 'not_measured',
        problems: [],
      },
    ]),
  );
  const before = new Map<string, FakeStats | undefined>();
  const notRemoved: string[] = [];

  /** The fake's counters, or undefined (with a problem on the fault's record: its proof stays null) when they cannot be read. */
  const snapshot = async (fake: string, record: FaultEvidence, when: 'before' | 'after') =>
    fakes.stats(fake).catch((error: Error) => {
      record.problems.push(`counters of ${fake} not read ${when} the window (${error.message}): no proof of requests in the window`);
      return undefined;
    });

  const targetOf = (f: ResolvedFault): TamperTarget =>
    f.fault.kind === 'toxic' ? { toxic: `shakedown-${f.name}` } : f.fault.kind === 'mode' ? { mode: f.name } : 'enabled';
  const { tamper } = options;

  async function apply(f: ResolvedFault) {
    const record = records.get(f.name)!;
    tamper?.changing(f.on, targetOf(f));
    // The counters snapshot runs alongside the change, so it does not delay the fault's onset.
    const counted = snapshot(f.on, record, 'before').then((stats) => {
      before.set(f.name, stats);
    });
    try {
      if (f.fault.kind === 'toxic') {
        await proxies.addToxic(f.on, {
          name: `shakedown-${f.name}`,
          type: f.fault.type,
          stream: f.fault.stream,
          toxicity: f.fault.toxicity,
          attributes: f.fault.attributes,
        });
      } else if (f.fault.kind === 'down') {
        downCount.set(f.on, (downCount.get(f.on) ?? 0) + 1);
        await proxies.setEnabled(f.on, false);
      } else {
        await fakes.setMode(f.on, f.name, f.fault.mode);
      }
      active.add(f.name);
      record.applied_at_ms = now();
      tamper?.settled(f.on, targetOf(f), f.fault.kind !== 'down');
      options.onEvent?.({ type: 'applied', fault: f, t_ms: record.applied_at_ms });
    } catch (error) {
      record.problems.push(`apply failed: ${(error as Error).message}`);
      tamper?.settled(f.on, targetOf(f), f.fault.kind === 'down' ? (downCount.get(f.on) ?? 0) === 0 : false);
      options.onEvent?.({ type: 'failed', fault: f, t_ms: now(), error: (error as Error).message });
      options.onApplyFailed?.(f, (error as Error).message);
    }
    void tamper?.check(f.on);
    await counted;
  }

  async function remove(f: ResolvedFault) {
    if (!active.has(f.name)) return;
    active.delete(f.name);
    const record = records.get(f.name)!;
    tamper?.changing(f.on, targetOf(f));
    try {
      if (f.fault.kind === 'toxic') await proxies.removeToxic(f.on, `shakedown-${f.name}`);
      else if (f.fault.kind === 'down') {
        const left = (downCount.get(f.on) ?? 1) - 1;
        downCount.set(f.on, left);
        if (left === 0) await proxies.setEnabled(f.on, true);
      } else await fakes.clearMode(f.on, f.name);
      tamper?.settled(f.on, targetOf(f), f.fault.kind === 'down' ? (downCount.get(f.on) ?? 0) === 0 : false);
      record.removed_at_ms = now();
      options.onEvent?.({ type: 'removed', fault: f, t_ms: record.removed_at_ms });
    } catch (error) {
      record.problems.push(`remove failed: ${(error as Error).message}`);
      notRemoved.push(`fault ${f.name}: remove failed: ${(error as Error).message}`);
      // Left in place as far as the run knows: compared as set, so a later read tells what really happened.
      tamper?.settled(f.on, targetOf(f), f.fault.kind === 'down' ? false : true);
      options.onEvent?.({ type: 'failed', fault: f, t_ms: now(), error: (error as Error).message });
    }
    void tamper?.check(f.on);
    const after = await snapshot(f.on, record, 'after');
    const b = before.get(f.name);
    if (after && b) {
      record.proof.fake_requests_in_window = after.requests - b.requests;
      // Every link open when the fault went on, and every one opened while it was on, met it (a toxic's roll).
      if (after.connections && b.connections)
        record.proof.connections_in_window = b.connections.open + after.connections.opened - b.connections.opened;
      if (f.fault.kind === 'mode') record.proof.mode_applied = (after.by_mode[f.name] ?? 0) - (b.by_mode[f.name] ?? 0);
      // A toxic or mode that no request met was not exercised (a dependency down does its work with none).
      if (f.fault.kind !== 'down' && record.proof.fake_requests_in_window === 0 && record.applied_at_ms !== null) {
        record.problems.push(
          `no request reached ${f.on} during the window: the fault was not exercised (an earlier fault, the service's cache or its routing kept traffic away)`,
        );
      } else if (f.fault.kind === 'mode' && record.proof.mode_applied === 0 && record.applied_at_ms !== null) {
        // Requests came, but none the mode could apply to (a stream mode while the service made only plain calls).
        record.problems.push(
          `${f.on} served ${record.proof.fake_requests_in_window} requests during the window but the mode applied to none: the fault was not exercised (a stream mode meets only streamed calls, a path filter only its paths)`,
        );
      }
    }
  }

  // Applying and removing run one at a time, in order, so a remove never overtakes its own apply.
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (step: () => Promise<void>) => {
    queue = queue.then(step, step);
    return queue;
  };

  return {
    start(start) {
      t0 = start;
      for (const f of faults) {
        const at = t0 + f.at_ms - performance.now();
        timers.push(setTimeout(() => void enqueue(() => apply(f)), Math.max(0, at)));
        timers.push(setTimeout(() => void enqueue(() => remove(f)), Math.max(0, at + f.for_ms)));
      }
    },
    async stopAll() {
      for (const t of timers) clearTimeout(t);
      await queue;
      for (const f of faults) if (active.has(f.name)) await remove(f);
      return [...notRemoved];
    },
    active: () => [...active],
    evidence: () => [...records.values()],
  };
}
