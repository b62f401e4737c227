/**
 * The contract between the harness and the fakes (docs/architecture.md, "Contract"): the mode schema and the
 * types derived from it, which fake kinds accept which modes, defaults and limits, the user-facing mode
 * factories, the control API's wire types, the fakes config and the seeded PRNG. Pure: imports only zod.
 */
export {
  FAKE_KINDS,
  MODE_KINDS,
  MODE_LIMITS,
  MODE_DEFAULTS,
  MODE_APPLIES_TO,
  STREAM_ONLY_MODES,
  RESPONSE_MODES,
  CITATION_SOURCES,
  PRODUCT_FIELDS,
  RETRY_HINTS,
  CUT_CLOSES,
  fakeModeSchema,
  whenSchema,
  modeMatchesPath,
  type FakeKind,
  type FakeMode,
  type ModeKind,
  type ModeFault,
  type CitationSource,
  type HttpErrorMode,
  type StreamStallMode,
  type StreamCutMode,
  type StreamDripMode,
  type StreamLengthMode,
  type StreamNoFinishMode,
  type StreamErrorMode,
  type BodySizeMode,
  type ModeWhen,
  type RetryHint,
  type CutClose,
  type StaleMode,
  type DropFactsMode,
  type PerturbNumbersMode,
  type WrongCitationsMode,
  type TruncateMode,
  type RefuseMode,
  type EmptyMode,
  type IrrelevantMode,
  type PartialMode,
  type SchemaDriftMode,
  type StaleValuesMode,
  type ErrorBodyMode,
  type ToolArgsTruncatedMode,
  type ToolArgsInvalidMode,
  type ToolUnknownMode,
} from './modes.ts';
export { TOOL_ARG_VIOLATIONS, TOOL_CALL_MODE_DEFAULTS, TOOL_CALL_MODE_KINDS, type ToolArgViolation } from './tool-call-modes.ts';
export { validateMode, type ModeValidation } from './validate-mode.ts';
export { mode, type ModeTargeting, type WhenOptions } from './mode-factories.ts';
export { factoryOptionsOf, reportingUnknownOptions } from './unknown-options.ts';
export {
  MAX_LOGGED_IDS,
  MAX_USER_TEXT,
  type RequestLogEntry,
  type FakeStats,
  type LogPage,
  type ModesPage,
  type FakesHealth,
  type FakesChildMessage,
  type FakesParentMessage,
} from './control-api.ts';
export {
  DEFAULT_FAKES_HOST,
  type FakesConfig,
  type FakeSpec,
  type ModelFakeOptions,
  type RetrievalFakeOptions,
  type InventoryFakeOptions,
  type FakeExtensionOptions,
} from './fakes-config.ts';
export {
  QUOTA_LIMITS,
  DEFAULT_QUOTA_WINDOW_MS,
  EXTENSION_OPTIONS,
  EXTENSIONS_OF,
  extensionOptionProblems,
  fixturePathMatches,
  type ExtensionOption,
  type QuotaOptions,
  type QuotaMode,
  type Fixture,
  type FixtureMatch,
  type CustomFakeOptions,
} from './fake-extensions.ts';
export { hashString, createRandom, seededRandom } from './prng.ts';
