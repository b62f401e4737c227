/**
 * Wraps option factories so an option they never read (a typo: `jiter`, `rat`, `retry_after`) is kept on the
 * object they build, where validation reports it as `faults[i].fault.jiter is not a known field` instead of the
 * fault silently running with its default. Which options a factory read is observed, not listed per factory.
 * Throws a TypeError for options that are not an object (`toxic.latency(1000)`), naming the factory.
 */
/** Where an object built with unknown options keeps its factory's name and the options it read. */
export const FACTORY_OPTIONS = Symbol.for('shakedown.factoryOptions');

/** The factory and its option names, on an object a factory built with an unknown option; undefined otherwise. */
export function factoryOptionsOf(value: unknown): { factory: string; known: string[] } | undefined {
  return typeof value === 'object' && value !== null
    ? (value as Record<symbol, { factory: string; known: string[] }>)[FACTORY_OPTIONS]
    : undefined;
}

export function reportingUnknownOptions<T extends Record<string, (...args: never[]) => object>>(group: string, factories: T): T {
  const wrapped: Record<string, (options?: object) => object> = {};
  for (const [name, build] of Object.entries(factories)) {
    wrapped[name] = (options?: object) => {
      // Validation could only say that an internal field is missing, so say it here (the scenario loader
      // reports the file and line).
      if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
        throw new TypeError(
          `${group}.${name}() takes an options object such as { ... } (see the fault catalogue in README.md), got ${JSON.stringify(options) ?? String(options)}`,
        );
      }
      if (options === undefined) return (build as (o?: object) => object)(options);
      const read = new Set<PropertyKey>();
      const tracked = new Proxy(options, {
        get: (target, key, receiver) => {
          read.add(key);
          return Reflect.get(target, key, receiver);
        },
      });
      const built = (build as (o: object) => object)(tracked);
      const unknown = Object.entries(options).filter(([key]) => !read.has(key));
      if (!unknown.length) return built;
      const kept = { ...built, ...Object.fromEntries(unknown) };
      // The options it did read, for "did you mean" (not enumerable: validation and JSON never see it).
      const known = [...read].filter((k): k is string => typeof k === 'string');
      Object.defineProperty(kept, FACTORY_OPTIONS, { value: { factory: `${group}.${name}()`, known }, enumerable: false });
      return kept;
    };
  }
  return wrapped as unknown as T;
}
