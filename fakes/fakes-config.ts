/**
 * Checks the config of a fakes process (its shape: contract/fakes-config.ts): run seed and the fakes to start,
 * by name. JSON in env `SHAKEDOWN_FAKES_CONFIG` for `serve.ts`; the same object for `startFakes()`.
 *
 * Ports default to 0 (any free port, what the harness uses); a standalone fakes process (docker-compose.yml)
 * sets fixed ones with `fakes.<name>.port` and `control_port`.
 */
import { isIP } from 'node:net';
import {
  EXTENSIONS_OF,
  FAKE_KINDS,
  type ExtensionOption,
  type FakeKind,
  type FakesConfig,
  extensionOptionProblems,
} from '../contract/index.ts';

const isPort = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535;

/** Thrown for an invalid config; `code` is `FAKES_CONFIG_INVALID`, the message lists every problem. */
export class FakesConfigError extends Error {
  readonly code = 'FAKES_CONFIG_INVALID';
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid fakes config:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'FakesConfigError';
    this.problems = problems;
  }
}

type OptionType = 'ms' | 'count' | 'path' | 'names';
const OPTION_TYPES: Record<FakeKind, Record<string, OptionType>> = {
  model: { latency_ms: 'ms', chunk_delay_ms: 'ms', words_per_chunk: 'count', models: 'names', embedding_dim: 'count' },
  retrieval: { corpus: 'path', latency_ms: 'ms', default_k: 'count', max_k: 'count' },
  inventory: { inventory: 'path', latency_ms: 'ms' },
  custom: { latency_ms: 'ms' },
};

function optionProblem(type: OptionType, value: unknown): string | null {
  if (type === 'ms') return typeof value === 'number' && value >= 0 && value <= 600_000 ? null : 'must be milliseconds from 0 to 600000';
  if (type === 'count') return Number.isInteger(value) && (value as number) >= 1 ? null : 'must be an integer >= 1';
  if (type === 'path') return typeof value === 'string' && value.length > 0 ? null : 'must be a file path';
  return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')
    ? null
    : 'must be a non-empty array of strings';
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Problems of one fake's options (`where`: their path, e.g. `fakes.model.options`), each `path must ...`. The harness
 * checks a scenario's extension options (quota, fixtures, handlers) with the same contract rules when it loads.
 */
export function fakeOptionProblems(kind: FakeKind, options: Record<string, unknown>, where: string): string[] {
  const problems: string[] = [];
  const types = OPTION_TYPES[kind];
  const extensions = EXTENSIONS_OF[kind];
  for (const [key, option] of Object.entries(options)) {
    if (extensions.includes(key as ExtensionOption)) {
      problems.push(...extensionOptionProblems(kind, key as ExtensionOption, option, `${where}.${key}`));
      continue;
    }
    const type = types[key];
    const problem = type
      ? optionProblem(type, option)
      : `is not an option of a ${kind} fake (known: ${[...Object.keys(types), ...extensions].join(', ')})`;
    if (problem) problems.push(`${where}.${key} ${problem}`);
  }
  if (kind === 'custom' && options.handlers === undefined)
    problems.push(`${where}.handlers is required: the module of the custom fake's msw handlers`);
  return problems;
}

/** Checks an untrusted config; returns it typed or throws {@link FakesConfigError} with every problem. */
export function validateFakesConfig(value: unknown): FakesConfig {
  const problems: string[] = [];
  if (!isObject(value)) throw new FakesConfigError(['config must be a JSON object']);
  if (value.seed !== undefined && !Number.isFinite(value.seed)) problems.push('seed must be a number');
  if (value.body_timeout_ms !== undefined && !(Number.isInteger(value.body_timeout_ms) && (value.body_timeout_ms as number) > 0)) {
    problems.push('body_timeout_ms must be a positive integer');
  }
  if (value.max_body_bytes !== undefined && !(Number.isInteger(value.max_body_bytes) && (value.max_body_bytes as number) > 0)) {
    problems.push('max_body_bytes must be a positive integer');
  }
  if (value.host !== undefined && !(typeof value.host === 'string' && isIP(value.host) !== 0)) {
    problems.push('host must be an IP address such as 127.0.0.1');
  }
  if (value.control_port !== undefined && !isPort(value.control_port)) problems.push('control_port must be an integer from 0 to 65535');
  // A fixed port may be used once: by the control server or one fake.
  const fixedPorts = new Map<number, string>();
  const claimPort = (port: unknown, owner: string) => {
    if (!isPort(port) || port === 0) return;
    const other = fixedPorts.get(port as number);
    if (other) problems.push(`${owner} ${port} is also the port of ${other}`);
    else fixedPorts.set(port as number, owner);
  };
  claimPort(value.control_port, 'control_port');
  if (!isObject(value.fakes) || Object.keys(value.fakes).length === 0) {
    problems.push('fakes must be an object with at least one fake');
  } else {
    for (const [name, spec] of Object.entries(value.fakes)) {
      const where = `fakes.${name}`;
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) problems.push(`${where}: name must match [A-Za-z0-9_-]{1,64}`);
      if (!isObject(spec) || !(FAKE_KINDS as readonly unknown[]).includes(spec.kind)) {
        problems.push(`${where}.kind must be one of ${FAKE_KINDS.join(', ')}`);
        continue;
      }
      if (spec.port !== undefined) {
        if (isPort(spec.port)) claimPort(spec.port, `${where}.port`);
        else problems.push(`${where}.port must be an integer from 0 to 65535`);
      }
      if (spec.options === undefined) {
        if (spec.kind === 'custom') problems.push(`${where}.options.handlers is required: the module of the custom fake's msw handlers`);
        continue;
      }
      if (!isObject(spec.options)) {
        problems.push(`${where}.options must be an object`);
        continue;
      }
      problems.push(...fakeOptionProblems(spec.kind as FakeKind, spec.options, `${where}.options`));
    }
  }
  if (problems.length > 0) throw new FakesConfigError(problems);
  return value as unknown as FakesConfig;
}
