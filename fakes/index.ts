/**
 * Public API of Shakedown's fakes (`shakedown/fakes`): what a user needs to run the fakes, in-process or on ports.
 *
 * The same msw handlers run in two places: over a real port in the fakes child process of a chaos run
 * (`serve.ts`, or `startFakes()` in-process), and with msw's `setupServer(...handlers)` in a user's unit tests:
 *
 * ```ts
 * const runtime = createFakeRuntime({ name: 'model', kind: 'model' });
 * const server = setupServer(...modelHandlers({}, { runtime, baseUrl: 'https://api.openai.test' }));
 * runtime.setMode('rl', mode.rateLimit({ retryAfter: 1 }));
 * ```
 *
 * Modes, their factories and the control API's wire types come from the contract (contract/index.ts), the one
 * definition the harness uses too.
 */

// Handler factories and their options
export { modelHandlers, MODEL_FAKE_DEFAULTS } from './model-handlers.ts';
export { retrievalHandlers, RETRIEVAL_FAKE_DEFAULTS } from './retrieval-handlers.ts';
export { inventoryHandlers } from './inventory-handlers.ts';
export type { HandlerContext } from './handler-context.ts';

// Running fakes
export { startFakes, FakesListenError, type RunningFake, type RunningFakes } from './start-fakes.ts';
export { serveHandlers, DEFAULT_MAX_BODY_BYTES, type ServeHandlersOptions, type ServedHandlers } from './http-adapter.ts';
export { validateFakesConfig, FakesConfigError } from './fakes-config.ts';

// Run-time state of a fake
export { createFakeRuntime, type FakeRuntime, type FakeRuntimeOptions } from './fake-runtime.ts';

// The contract: modes, their factories, the config and the control API's wire types
export {
  mode,
  MODE_APPLIES_TO,
  MODE_DEFAULTS,
  FAKE_KINDS,
  DEFAULT_FAKES_HOST,
  type ModeFault,
  type FakeMode,
  type ModeKind,
  type FakeKind,
  type FakesConfig,
  type FakeSpec,
  type ModelFakeOptions,
  type RetrievalFakeOptions,
  type InventoryFakeOptions,
  type FakeStats,
  type LogPage,
  type RequestLogEntry,
  type FakesChildMessage,
} from '../contract/index.ts';

// Answers and the dataset, to compute what a fake will answer
export { answerQuestion, parsePrompt, NOT_FOUND_ANSWER, type ExtractiveAnswer, type ParsedPrompt } from './extractive-answerer.ts';
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
