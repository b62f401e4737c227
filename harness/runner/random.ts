/** Seeded randomness for the harness (request order, fault choices): the contract's PRNG, the one the fakes use. */
export { createRandom } from '../../contract/index.ts';

/** Fisher–Yates shuffle of a copy, driven by `random`. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** A random seed for a run that was given none (printed, so `--seed` can replay it). */
export function freshSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}
