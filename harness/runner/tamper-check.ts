/**
 * Detects changes to a run's proxies and fakes that the run did not make. Toxiproxy's API has no
 * authentication (any local process can add a toxic, disable or delete a proxy), and the fakes' control API
 * refuses requests without the run's token but counts them: so after each fault is applied or removed, and at
 * the end, the run reads each proxy's toxics and enabled flag and each fake's modes and compares them with what
 * it set. Every difference (and every refused control request) is a reason the run is untrusted.
 *
 * A read that overlapped a change the run made to the same dependency is not compared (it may be stale).
 */
import type { ProxyManager } from '../toxiproxy/index.ts';
import type { FakesProcess } from './fakes-process.ts';

export interface TamperCheck {
  /** Before the run changes a toxic, a mode or the enabled flag: that name is left out of comparisons. */
  changing(on: string, what: TamperTarget): void;
  /** After the change: what the run expects now (`present`: the toxic or mode is on; for `enabled`, the flag). */
  settled(on: string, what: TamperTarget, present: boolean): void;
  /** Compares the dependency's proxy and fake (all when `on` is left out) with what the run set. Never throws. */
  check(on?: string): Promise<void>;
  /** The reasons found so far, each once. */
  reasons(): string[];
}

export type TamperTarget = { toxic: string } | { mode: string } | 'enabled';

interface Expected {
  /** Bumped on every change the run makes: a read that overlapped one is not compared. */
  version: number;
  toxics: Map<string, boolean | 'changing'>;
  modes: Map<string, boolean | 'changing'>;
  enabled: boolean | 'changing';
}

export function createTamperCheck(options: { dependencies: readonly string[]; proxies: ProxyManager; fakes: FakesProcess }): TamperCheck {
  const { proxies, fakes } = options;
  const expected = new Map<string, Expected>(
    options.dependencies.map((d) => [d, { version: 0, toxics: new Map(), modes: new Map(), enabled: true }]),
  );
  const found = new Set<string>();
  const set = (on: string, what: TamperTarget, value: boolean | 'changing') => {
    const e = expected.get(on);
    if (!e) return;
    e.version++;
    if (what === 'enabled') e.enabled = value;
    else if ('toxic' in what) e.toxics.set(what.toxic, value);
    else e.modes.set(what.mode, value);
  };
  const compare = (kind: string, where: string, seen: readonly string[], wanted: Map<string, boolean | 'changing'>, out: string[]) => {
    for (const name of seen)
      if (wanted.get(name) === undefined || wanted.get(name) === false)
        out.push(`${kind} '${name}' on ${where} was not set by this run: something else changed it during the run`);
    for (const [name, state] of wanted)
      if (state === true && !seen.includes(name))
        out.push(`${kind} '${name}' that this run set on ${where} was removed by something else during the run`);
  };

  async function checkOne(on: string, e: Expected) {
    const version = e.version;
    const out: string[] = [];
    const [proxy, modes] = await Promise.allSettled([proxies.get(on), fakes.modes(on)]);
    if (e.version !== version) return; // the run changed this dependency meanwhile: the reads may be stale
    if (proxy.status === 'fulfilled') {
      compare(
        'toxic',
        `proxy ${on}`,
        proxy.value.toxics.map((t) => t.name),
        e.toxics,
        out,
      );
      if (e.enabled !== 'changing' && proxy.value.enabled !== e.enabled)
        out.push(`proxy ${on} was ${proxy.value.enabled ? 'enabled' : 'disabled'} by something else during the run`);
    } else out.push(`proxy ${on} could not be read (${(proxy.reason as Error).message}): deleted or changed by something else`);
    if (modes.status === 'fulfilled') compare('mode', `fake ${on}`, Object.keys(modes.value.modes), e.modes, out);
    else out.push(`modes of fake ${on} could not be read (${(modes.reason as Error).message}): tampering not ruled out`);
    for (const reason of out) found.add(reason);
  }

  const pending = new Set<Promise<void>>();
  return {
    changing: (on, what) => set(on, what, 'changing'),
    settled: (on, what, present) => set(on, what, present),
    async check(on) {
      if (on !== undefined) {
        const e = expected.get(on);
        if (!e) return;
        const one = checkOne(on, e).finally(() => pending.delete(one));
        pending.add(one);
        return one;
      }
      // The final check: the ones still in flight first, then every dependency and the refused requests.
      await Promise.all(pending);
      await Promise.all([...expected].map(([name, e]) => checkOne(name, e)));
      try {
        const refused = (await fakes.health()).refused_control_requests;
        if (refused > 0)
          found.add(
            `the fakes' control API refused ${refused} request${refused === 1 ? '' : 's'} without the run's token: another local process tried to change or read the fakes`,
          );
      } catch (error) {
        found.add(`the fakes' health could not be read (${(error as Error).message}): refused control requests unknown`);
      }
    },
    reasons: () => [...found],
  };
}
