/**
 * A last-in-first-out stack of cleanup steps. Every step runs even when an earlier one fails; failures are
 * collected and returned (never thrown), so a teardown problem never hides the run's own result.
 */
export interface Teardown {
  /** Registers a step; returns a function that removes it (for resources released early). */
  add(name: string, step: () => Promise<void> | void): () => void;
  /** Runs every registered step once, newest first. Later calls wait for the first run. */
  run(): Promise<string[]>;
}

export function createTeardown(): Teardown {
  const steps: Array<{ name: string; step: () => Promise<void> | void }> = [];
  let running: Promise<string[]> | undefined;
  return {
    add(name, step) {
      const entry = { name, step };
      steps.push(entry);
      return () => {
        const i = steps.indexOf(entry);
        if (i >= 0) steps.splice(i, 1);
      };
    },
    run() {
      running ??= (async () => {
        const problems: string[] = [];
        while (steps.length > 0) {
          const { name, step } = steps.pop()!;
          try {
            await step();
          } catch (error) {
            problems.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
        return problems;
      })();
      return running;
    },
  };
}
