/**
 * The scenario file `shakedown init` writes: a commented starting point for the user's own service (how it
 * starts or where it runs, how it is called, which fakes stand in for its dependencies), that validates as
 * written. Pure: options in, TypeScript source out.
 */
import type { FakeKind } from '../scenario/types.ts';

export interface ScaffoldOptions {
  /** Scenario name (letters, digits, `.`, `_`, `-`). */
  name: string;
  /** The service's start command as words (no shell), or null when it already runs at `url`. */
  command: string[] | null;
  /** Where the service listens: set for an already running service, or a started one on a fixed port. */
  url: string | null;
  readyPath: string;
  method: string;
  path: string;
  /** A fixed JSON body sent with every request, or null to send each dataset question as `{ [field]: question }`. */
  body: unknown;
  field: string;
  fakes: ScaffoldFakeKind[];
}

/** Environment variable each fake's address is given to the service in (the example service's names). */
/** The built-in fakes `init` offers (a `custom` fake needs the user's own handlers module). */
export type ScaffoldFakeKind = Exclude<FakeKind, 'custom'>;

const ENV_OF: Readonly<Record<ScaffoldFakeKind, { name: string; value: string; what: string }>> = Object.freeze({
  model: {
    name: 'OPENAI_BASE_URL',
    value: '`${model.url}/v1`',
    what: 'an OpenAI-compatible model API (chat completions, responses, embeddings)',
  },
  retrieval: { name: 'RETRIEVAL_URL', value: 'retrieval.url', what: 'a search API over the shipped document set' },
  inventory: { name: 'INVENTORY_URL', value: 'inventory.url', what: 'a product/stock JSON API' },
});

/** A single-quoted TypeScript string literal. */
const str = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;

/** Renders the scenario source. */
export function renderScaffold(o: ScaffoldOptions): string {
  const imports = ['defineScenario'];
  if (o.fakes.length) imports.push('fakes', 'toxic');
  const usesDataset = o.body === null && o.method === 'POST';
  imports.push(usesDataset ? 'dataset' : 'requests');
  const lines: string[] = [];
  lines.push(`import { ${imports.sort().join(', ')} } from 'shakedown';`, '');
  lines.push(`// Scaffolded by \`shakedown init\`. Check it with \`npx shakedown run <this file> --dry-run\`, run it without.`);
  lines.push('// Every field is described in the README, section "Scenario files".');
  lines.push('export default defineScenario({');
  lines.push(`  name: ${str(o.name)},`);
  lines.push(`  description: ${str(`${o.name} under load while its dependencies slow down and fail.`)},`);
  lines.push('  system: {');
  if (o.command) {
    lines.push('    // How to start the service (no shell: one word per element). It is given PORT (a free port) and HOST,');
    lines.push('    // and must listen on 127.0.0.1; load goes only to loopback.');
    lines.push(`    command: [${o.command.map(str).join(', ')}],`);
    if (o.url) lines.push(`    // The service listens on a fixed port instead of PORT.`, `    url: ${str(o.url)},`);
  } else {
    lines.push('    // The service already runs here (start it yourself first); it must be on loopback.');
    lines.push(`    url: ${str(o.url ?? 'http://127.0.0.1:3000')},`);
  }
  lines.push(`    // Polled with GET until it answers 200 before load starts.`, `    ready: { path: ${str(o.readyPath)} },`);
  if (o.command && o.fakes.length) {
    lines.push('    // Where the service finds its dependencies: each fake sits behind a Toxiproxy proxy, and these are the');
    lines.push("    // proxies' addresses. Rename the variables to the ones your service reads.");
    lines.push(`    env: ({ ${o.fakes.join(', ')} }) => ({`);
    for (const f of o.fakes) lines.push(`      ${ENV_OF[f].name}: ${ENV_OF[f].value},`);
    lines.push('    }),');
  } else if (o.fakes.length) {
    lines.push("    // A service you start yourself must be pointed at the fakes' proxies by hand: they are printed when the run starts.");
  }
  lines.push('  },');
  if (o.fakes.length) {
    lines.push('  // Fakes of the services yours depends on:');
    for (const f of o.fakes) lines.push(`  //   ${f}: ${ENV_OF[f].what}`);
    lines.push(`  dependencies: { ${o.fakes.map((f) => `${f}: fakes.${f}()`).join(', ')} },`);
  } else {
    lines.push('  // No fakes: add fakes.model(), fakes.retrieval() or fakes.inventory() here to fault a dependency.');
    lines.push('  dependencies: {},');
  }
  lines.push('  load: {');
  lines.push('    // 10 requests a second for 30 s, after 3 s of unmeasured warm-up; each request times out after 10 s.');
  lines.push("    executor: 'constant-arrival-rate',", '    rate: 10,', "    duration: '30s',");
  if (usesDataset) {
    lines.push(`    // Each request: ${o.method} ${o.path} with { ${o.field}: <a question from the shipped dataset> }.`);
    lines.push(`    requests: dataset.ask(${str(o.path)}${o.field === 'question' ? '' : `, { field: ${str(o.field)} }`}),`);
  } else {
    lines.push(`    // Each request: the same ${o.method} ${o.path}${o.body === null ? '' : ' with this JSON body'}.`);
    const body = o.body === null ? '' : `, body: ${JSON.stringify(o.body)}`;
    lines.push(`    requests: requests.static({ method: ${str(o.method)}, path: ${str(o.path)}${body} }),`);
  }
  lines.push('  },');
  if (o.fakes.length) {
    const [first, second] = o.fakes;
    lines.push('  // Faults on a timeline (from the start of measured load): the phases between them are scored apart.');
    lines.push('  faults: [');
    lines.push(`    { on: ${str(first)}, at: '10s', for: '5s', fault: toxic.latency({ latency: 1000 }) },`);
    lines.push(`    { on: ${str(second ?? first)}, at: '20s', for: '5s', fault: toxic.down() },`);
    lines.push('  ],');
  } else {
    lines.push('  // No faults without a dependency to fault: this measures the service alone.');
  }
  lines.push('  // What must hold, per phase; a failed SLO makes `shakedown run` exit 1.');
  lines.push(
    "  slos: { baseline: { error_rate: '< 1%', p95_ms: '< 2000' }" + (o.fakes.length ? ", fault: { error_rate: '< 20%' }" : '') + ' },',
  );
  lines.push('});', '');
  return lines.join('\n');
}

/**
 * Splits a start command into words: spaces separate, single or double quotes group, no other shell syntax.
 * @returns null when a quote is left open
 */
export function splitCommand(command: string): string[] | null {
  const words: string[] = [];
  let word: string | null = null;
  let quote: string | null = null;
  for (const c of command) {
    if (quote) {
      if (c === quote) quote = null;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else word = (word ?? '') + c;
  }
  if (quote) return null;
  if (word !== null) words.push(word);
  return words;
}
