/**
 * Public API of Shakedown's fakes (`shakedown/fakes`).
 *
 * The same msw handlers run in two places: over a real port in the fakes child process of a chaos run
 * (`serve.ts`, or `startFakes()` in-process), and with msw's `setupServer(...handlers)` in a user's unit tests:
 *
 * ```ts
 * const runtime = createFakeRuntime({ name: 'model', kind: 'model' });
 * const server = setupServer(...modelHandlers({}, { runtime, baseUrl: 'https://api.openai.test' }));
 * runtime.setMode('rl', mode.httpError({ rate: 1, status: 429, retry_after_s: 1 }));
 * ```
 */

// Handler factories
export { modelHandlers, MODEL_FAKE_DEFAULTS, type ModelFakeOptions, type ResolvedModelFakeOptions } from './model-handlers.ts';
export {
  retrievalHandlers,
  createCorpusSearch,
  RETRIEVAL_FAKE_DEFAULTS,
  type RetrievalFakeOptions,
  type SearchResult,
} from './retrieval-handlers.ts';
export { inventoryHandlers, type InventoryFakeOptions } from './inventory-handlers.ts';
export { controlHandlers } from './control-handlers.ts';
export type { HandlerContext } from './handler-context.ts';

// Running fakes
export { startFakes, createFakeHandlers, FakesListenError, type RunningFake, type RunningFakes } from './start-fakes.ts';
export { serveHandlers, DEFAULT_MAX_BODY_BYTES, type ServeHandlersOptions, type ServedHandlers } from './http-adapter.ts';
export { validateFakesConfig, FakesConfigError, DEFAULT_FAKES_HOST, type FakesConfig, type FakeSpec } from './fakes-config.ts';
export type { FakesChildMessage } from './serve-messages.ts';

// Modes and run-time state
export {
  mode,
  modeMatchesPath,
  FAKE_KINDS,
  MODE_APPLIES_TO,
  MODE_DEFAULTS,
  CITATION_SOURCES,
  PRODUCT_FIELDS,
  type FakeKind,
  type FakeMode,
  type ModeKind,
  type HttpErrorMode,
  type StreamStallMode,
  type StreamCutMode,
  type StaleMode,
  type DropFactsMode,
  type PerturbNumbersMode,
  type WrongCitationsMode,
  type CitationSource,
  type TruncateMode,
  type RefuseMode,
  type EmptyMode,
  type IrrelevantMode,
  type PartialMode,
  type SchemaDriftMode,
  type StaleValuesMode,
  type ErrorBodyMode,
} from './fake-modes.ts';
export { validateMode, type ModeValidation } from './validate-mode.ts';
export {
  createFakeRuntime,
  traceIdOf,
  type FakeRuntime,
  type FakeRuntimeOptions,
  type AppliedMode,
  type RollOptions,
} from './fake-runtime.ts';
export {
  REQUEST_LOG_CAPACITY,
  MAX_LOGGED_IDS,
  type RequestLogEntry,
  type RequestEvidence,
  type FakeStats,
  type LogPage,
} from './request-log.ts';

// Answers, errors, dataset
export { answerQuestion, parsePrompt, NOT_FOUND_ANSWER, type ExtractiveAnswer, type ParsedPrompt } from './extractive-answerer.ts';
export { embedText } from './embeddings.ts';
export { providerError, providerErrorBody, type ProviderErrorBody, type ProviderErrorInit } from './provider-error.ts';
export {
  loadCorpus,
  loadInventory,
  DatasetError,
  DEFAULT_CORPUS_PATH,
  DEFAULT_INVENTORY_PATH,
  type CorpusDocument,
  type DocumentVersion,
  type Product,
} from './dataset-loader.ts';
