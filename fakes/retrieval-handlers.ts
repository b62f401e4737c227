/**
 * The `retrieval` fake: `POST /search {query, k}` over a versioned corpus, ranked by minisearch.
 *
 * Ranks the current (highest) version of each document with fields `title` + `text`, `boost: {title: 2}`,
 * `prefix: true`, `fuzzy: 0.2`, `combineWith: "OR"`. Response: `{"results": [{id, version, updated_at, title,
 * text, score}]}`. The `stale` mode keeps the same ranking but returns version 1 of each document.
 */
import MiniSearch from 'minisearch';
import { http, HttpResponse, type HttpHandler } from 'msw';
import { type CorpusDocument, loadCorpus } from './dataset-loader.ts';
import { type HandlerContext, pause, resolveHandlerContext } from './handler-context.ts';
import { httpErrorModeResponse } from './http-error-mode.ts';
import { invalidParamError, readJsonObject } from './provider-error.ts';

/** Options of the retrieval fake (JSON in the fakes config). */
export interface RetrievalFakeOptions {
  /** Path of a corpus file; default the shipped `fakes/dataset/corpus.json`. */
  corpus?: string;
  /** Processing time per search, milliseconds; default 0. */
  latency_ms?: number;
  /** Results when `k` is absent; default 4. */
  default_k?: number;
  /** Largest `k` served (larger values are clamped); default 20. */
  max_k?: number;
}

/** Longest query served (longer ones get 400): fuzzy matching cost grows with term length. */
export const MAX_QUERY_CHARS = 2000;

export const RETRIEVAL_FAKE_DEFAULTS = Object.freeze({ latency_ms: 0, default_k: 4, max_k: 20 });

/** One search hit. */
export interface SearchResult {
  id: string;
  version: number;
  updated_at: string;
  title: string;
  text: string;
  score: number;
}

/** Builds a search function over `documents` (current versions indexed; `stale` answers with version 1). */
export function createCorpusSearch(documents: CorpusDocument[]): (query: string, k: number, stale: boolean) => SearchResult[] {
  const index = new MiniSearch<{ id: string; title: string; text: string }>({
    fields: ['title', 'text'],
    searchOptions: { boost: { title: 2 }, prefix: true, fuzzy: 0.2, combineWith: 'OR' },
  });
  index.addAll(documents.map((d) => ({ id: d.id, title: d.title, text: d.versions[d.versions.length - 1].text })));
  const byId = new Map(documents.map((d) => [d.id, d]));
  return (query, k, stale) =>
    index.search(query).slice(0, k).map((hit) => {
      const doc = byId.get(String(hit.id)) as CorpusDocument;
      const v = stale ? doc.versions[0] : doc.versions[doc.versions.length - 1];
      return { id: doc.id, version: v.version, updated_at: v.updated_at, title: doc.title, text: v.text, score: hit.score };
    });
}

/** Builds the retrieval fake's msw handlers; reads the corpus file once, now (throws `DatasetError`). */
export function retrievalHandlers(options: RetrievalFakeOptions = {}, context: HandlerContext = {}): HttpHandler[] {
  const o = { ...RETRIEVAL_FAKE_DEFAULTS, ...options };
  const { runtime, at } = resolveHandlerContext('retrieval', context);
  const search = createCorpusSearch(loadCorpus(o.corpus));
  return [
    http.post(at('/search'), async ({ request }) => {
      const body = await readJsonObject(request);
      const applied = runtime.roll(request, { stream: false });
      if (applied?.mode.kind === 'http_error') return httpErrorModeResponse(applied.mode);
      if (body instanceof Response) return body;
      if (typeof body.query !== 'string' || body.query.trim().length === 0 || body.query.length > MAX_QUERY_CHARS) {
        return invalidParamError('query', `Invalid 'query': expected a non-empty string of at most ${MAX_QUERY_CHARS} characters.`);
      }
      const k = body.k ?? o.default_k;
      if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) {
        return invalidParamError('k', "Invalid 'k': expected an integer >= 1.");
      }
      await pause(o.latency_ms, request.signal);
      const results = search(body.query, Math.min(k, o.max_k), applied?.mode.kind === 'stale');
      return HttpResponse.json({ results });
    }),
  ];
}
