/**
 * The answer pipeline: retrieval (and inventory when the question asks for live data) in parallel, one prompt
 * of bracketed context lines, the model, citations checked against the ids the context held, a TTL cache.
 */
import type { ResolvedRagServiceConfig } from './config.ts';
import { createAnswerCache } from './answer-cache.ts';
import { searchDocuments, searchProducts, type CallContext, type Product, type RetrievedDocument } from './downstream.ts';
import type { ModelClient } from './model.ts';

/** What POST /ask answers (also the fields of the streaming `done` event). */
export interface Answer {
  answer: string;
  citations: string[];
  sources: string[];
  fallback: boolean;
  cached: boolean;
}

/** How many documents the service asks retrieval for. */
export const RETRIEVAL_K = 4;

/**
 * The cheap heuristic behind INVENTORY_LOOKUP=auto: the question names a SKU or uses a word about price or
 * stock. A false positive costs one inventory call (and ties that answer to inventory's health); a false
 * negative answers without live data.
 */
export const LIVE_DATA_PATTERN =
  /\b(sku-\d+|prices?|priced|pricing|costs?|how much|stock|in-stock|available|availability|inventory|units? left|sold out)\b/i;

export const needsLiveData = (question: string): boolean => LIVE_DATA_PATTERN.test(question);

/** `[SKU-1001] Trail Runner 2 price 129.00 USD, stock 42` */
export const formatProductLine = (p: Product): string => `[${p.sku}] ${p.name} price ${p.price.toFixed(2)} ${p.currency}, stock ${p.stock}`;

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** The user message: one `[id] text` line per document, one line per product, then `Question: ...`. */
export function buildUserMessage(documents: RetrievedDocument[], products: Product[], question: string): string {
  const lines = [
    ...documents.map((d) => `[${d.id}] ${oneLine(d.text)}`),
    ...products.map(formatProductLine),
    `Question: ${oneLine(question)}`,
  ];
  return lines.join('\n');
}

/** The bracketed ids in `answer` that the context held, deduplicated, in order of first appearance. */
export function extractCitations(answer: string, knownIds: ReadonlySet<string>): string[] {
  const cited: string[] = [];
  for (const match of answer.matchAll(/\[([^\[\]\s]{1,100})\]/g)) {
    const id = match[1];
    if (knownIds.has(id) && !cited.includes(id)) cited.push(id);
  }
  return cited;
}

export interface StreamCallbacks {
  onSources?: (sources: string[]) => void;
  onDelta: (delta: string) => void;
}

export interface RagPipeline {
  /** A cached answer, or undefined. */
  cached(question: string): Answer | undefined;
  /** Retrieval, inventory and the model; throws DependencyError or RequestAbortedError. */
  ask(question: string, ctx: CallContext): Promise<Answer>;
  /**
   * Like ask, with the model streamed: `onSources` sees the context ids before the model is called, `onDelta`
   * each piece of the answer as it arrives.
   */
  askStream(question: string, ctx: CallContext, on: StreamCallbacks): Promise<Answer>;
}

export function createRagPipeline(config: ResolvedRagServiceConfig, model: ModelClient): RagPipeline {
  const cache = createAnswerCache(config.cacheTtlMs);

  const shouldLookUp = (question: string): boolean =>
    config.inventoryLookup === 'always' || (config.inventoryLookup === 'auto' && needsLiveData(question));

  /** Retrieval and inventory in parallel; the first failure aborts the other call. */
  async function gatherContext(question: string, ctx: CallContext) {
    const local = new AbortController();
    const inner: CallContext = { headers: ctx.headers, signal: AbortSignal.any([ctx.signal, local.signal]) };
    try {
      const [documents, products] = await Promise.all([
        searchDocuments(
          { retrievalUrl: config.retrievalUrl, timeoutMs: config.retrievalTimeoutMs, retries: config.retrievalRetries, k: RETRIEVAL_K },
          question,
          inner,
        ),
        shouldLookUp(question)
          ? searchProducts({ inventoryUrl: config.inventoryUrl, timeoutMs: config.inventoryTimeoutMs }, question, inner)
          : Promise.resolve([]),
      ]);
      const sources = [...documents.map((d) => d.id), ...products.map((p) => p.sku)];
      return { userMessage: buildUserMessage(documents, products, question), sources };
    } finally {
      local.abort(); // stops the sibling call when one failed; a no-op once both settled
    }
  }

  const finish = (question: string, text: string, sources: string[]): Answer => {
    const answer: Answer = {
      answer: text,
      citations: extractCitations(text, new Set(sources)),
      sources: [...new Set(sources)],
      fallback: false,
      cached: false,
    };
    cache.set(question, { answer: answer.answer, citations: answer.citations, sources: answer.sources });
    return answer;
  };

  return {
    cached(question) {
      const hit = cache.get(question);
      return hit ? { ...hit, fallback: false, cached: true } : undefined;
    },
    async ask(question, ctx) {
      const { userMessage, sources } = await gatherContext(question, ctx);
      const text = await model.complete(userMessage, ctx);
      return finish(question, text, sources);
    },
    async askStream(question, ctx, on) {
      const { userMessage, sources } = await gatherContext(question, ctx);
      on.onSources?.(sources);
      const { text } = await model.stream(userMessage, ctx, on.onDelta);
      return finish(question, text, sources);
    },
  };
}
