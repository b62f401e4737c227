/**
 * The rag-service's configuration, read once from the environment. Every knob is documented in server.ts and
 * README.md; defaults make a careful service.
 */

export const FALLBACK_MODES = ['error', 'canned', 'silent', 'empty'] as const;
export type FallbackMode = (typeof FALLBACK_MODES)[number];

export const MODEL_RETRY_AFTER_POLICIES = ['honor', 'ignore'] as const;
export type ModelRetryAfterPolicy = (typeof MODEL_RETRY_AFTER_POLICIES)[number];

export const INVENTORY_LOOKUPS = ['auto', 'always', 'never'] as const;
export type InventoryLookup = (typeof INVENTORY_LOOKUPS)[number];

export interface ResolvedRagServiceConfig {
  host: string;
  port: number;
  openaiBaseUrl: string | undefined;
  openaiApiKey: string;
  model: string;
  retrievalUrl: string;
  inventoryUrl: string;
  modelTimeoutMs: number;
  modelMaxRetries: number;
  modelRetryAfter: ModelRetryAfterPolicy;
  retrievalTimeoutMs: number;
  retrievalRetries: number;
  inventoryTimeoutMs: number;
  inventoryLookup: InventoryLookup;
  fallbackMode: FallbackMode;
  cacheTtlMs: number;
  streamIdleTimeoutMs: number;
}

export const DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 0,
  model: 'gpt-4o-mini',
  modelTimeoutMs: 5000,
  modelMaxRetries: 2,
  modelRetryAfter: 'honor' as ModelRetryAfterPolicy,
  retrievalTimeoutMs: 2000,
  retrievalRetries: 1,
  inventoryTimeoutMs: 1000,
  inventoryLookup: 'auto' as InventoryLookup,
  fallbackMode: 'error' as FallbackMode,
  cacheTtlMs: 0,
  streamIdleTimeoutMs: 3000,
});

/** Thrown by readConfig with every problem found, one per line. */
export class ConfigError extends Error {
  readonly code = 'RAG_SERVICE_CONFIG';
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid rag-service configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

/** Reads and validates the environment; throws ConfigError listing every invalid variable. */
export function readConfig(env: NodeJS.ProcessEnv): ResolvedRagServiceConfig {
  const problems: string[] = [];

  const int = (name: string, fallback: number, max = 2_147_483_647): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0 || value > max) {
      problems.push(`${name} must be an integer from 0 to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name} must be one of ${allowed.join(' | ')}, got "${raw}"`);
      return fallback;
    }
    return raw as T;
  };
  const url = (name: string): string => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') {
      problems.push(`${name} must be set to the dependency's base URL (for example http://127.0.0.1:4010)`);
      return '';
    }
    try {
      new URL(raw);
    } catch {
      problems.push(`${name} must be an absolute URL, got "${raw}"`);
    }
    return raw.replace(/\/+$/, '');
  };

  const config: ResolvedRagServiceConfig = {
    host: env.HOST?.trim() || DEFAULTS.host,
    port: int('PORT', DEFAULTS.port, 65_535),
    openaiBaseUrl: env.OPENAI_BASE_URL?.trim() || undefined,
    openaiApiKey: env.OPENAI_API_KEY ?? 'shakedown',
    model: env.OPENAI_MODEL?.trim() || DEFAULTS.model,
    retrievalUrl: url('RETRIEVAL_URL'),
    inventoryUrl: url('INVENTORY_URL'),
    modelTimeoutMs: int('MODEL_TIMEOUT_MS', DEFAULTS.modelTimeoutMs),
    modelMaxRetries: int('MODEL_MAX_RETRIES', DEFAULTS.modelMaxRetries, 10),
    modelRetryAfter: oneOf('MODEL_RETRY_AFTER', MODEL_RETRY_AFTER_POLICIES, DEFAULTS.modelRetryAfter),
    retrievalTimeoutMs: int('RETRIEVAL_TIMEOUT_MS', DEFAULTS.retrievalTimeoutMs),
    retrievalRetries: int('RETRIEVAL_RETRIES', DEFAULTS.retrievalRetries, 10),
    inventoryTimeoutMs: int('INVENTORY_TIMEOUT_MS', DEFAULTS.inventoryTimeoutMs),
    inventoryLookup: oneOf('INVENTORY_LOOKUP', INVENTORY_LOOKUPS, DEFAULTS.inventoryLookup),
    fallbackMode: oneOf('FALLBACK_MODE', FALLBACK_MODES, DEFAULTS.fallbackMode),
    cacheTtlMs: int('CACHE_TTL_MS', DEFAULTS.cacheTtlMs),
    streamIdleTimeoutMs: int('STREAM_IDLE_TIMEOUT_MS', DEFAULTS.streamIdleTimeoutMs),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
