/**
 * The `retrieval` fake: `POST /search {query, k}` over a versioned corpus, ranked by minisearch.
 *
 * Ranks the current (highest) version of each document with fields `title` + `text`, `boost: {title: 2}`,
 * `prefix: true`, `fuzzy: 0.2`, `combineWith: "OR"`. Response: `{"results": [{id, version, updated_at, title,
 * text, score}]}`. Modes (besides `http_error` and `error_body`):
 * - `stale`: the same ranking, but version 1 of each document;
 * - `empty`: `{"results": []}`;
 * - `irrelevant`: k current documents that match no word of the query, in an order drawn from the seed (keyed by
 *   query and k, so the same search under the same seed gets the same documents); when too few match nothing, the
 *   lowest-ranked matches outside the real top k fill up, lowest first. Scores are those the real top k had, so
 *   a score threshold does not tell them apart;
 * - `partial`: the first `keep` (default 1) of the ranked results.
 * The log entry of a search answered with results gets `returned_ids`, in rank order.
 */
import MiniSearch from 'minisearch';
import { http, HttpResponse, type HttpHandler } from 'msw';
import { createBoundedCache } from './bounded-cache.ts';
import { type CorpusDocument, loadCorpus } from './dataset-loader.ts';
import { type HandlerContext, pause, resolveHandlerContext } from './handler-context.ts';
import { MODE_DEFAULTS, type RetrievalFakeOptions } from '../contract/index.ts';
import { replacedResponse } from './http-error-mode.ts';
import { invalidParamError, readJsonObject } from './provider-error.ts';

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

/** A ranked corpus: the real top k, and the `irrelevant` mode's k documents that do not match. */
export interface CorpusIndex {
  /** The top `k` for `query` (current versions; `stale`: version 1 of the same documents). */
  search(query: string, k: number, stale: boolean): SearchResult[];
  /** `k` current documents matching no word of `query`, ordered by `random`, scored like the real top k. */
  irrelevant(query: string, k: number, random: () => number): SearchResult[];
}

/** Distinct queries whose ranking is kept: a load test repeats its dataset's questions. */
const RANKING_CACHE_CAPACITY = 1024;

/**
 * Indexes `documents` (current versions) with minisearch. The index never changes after this, so the ranking of a
 * query (ids and scores; fuzzy and prefix matching were ~half the fakes' busy time under load, issue 14) is kept
 * per query text in a bounded cache: the same request gets the same bytes, computed once.
 */
export function createCorpusIndex(documents: CorpusDocument[]): CorpusIndex {
  const index = new MiniSearch<{ id: string; title: string; text: string }>({
    fields: ['title', 'text'],
    searchOptions: { boost: { title: 2 }, prefix: true, fuzzy: 0.2, combineWith: 'OR' },
  });
  index.addAll(documents.map((d) => ({ id: d.id, title: d.title, text: d.versions[d.versions.length - 1].text })));
  const byId = new Map(documents.map((d) => [d.id, d]));
  const rankings = createBoundedCache<ReadonlyArray<{ id: string; score: number }>>({
    capacity: RANKING_CACHE_CAPACITY,
    maxKeyLength: MAX_QUERY_CHARS,
  });
  const rank = (query: string) => rankings.get(query, (q) => index.search(q).map((hit) => ({ id: String(hit.id), score: hit.score })));
  const result = (doc: CorpusDocument, score: number, stale: boolean): SearchResult => {
    const v = stale ? doc.versions[0] : doc.versions[doc.versions.length - 1];
    return { id: doc.id, version: v.version, updated_at: v.updated_at, title: doc.title, text: v.text, score };
  };
  return {
    search: (query, k, stale) =>
      rank(query)
        .slice(0, k)
        .map((hit) => result(byId.get(hit.id) as CorpusDocument, hit.score, stale)),
    irrelevant(query, k, random) {
      const hits = rank(query);
      const matched = new Set(hits.map((hit) => hit.id));
      const pool = documents.filter((d) => !matched.has(d.id));
      for (let i = pool.length - 1; i > 0; i--) {
        const j = Math.min(i, Math.floor(random() * (i + 1)));
        [pool[i], pool[j]] = [pool[j], pool[i]];
      }
      for (let i = hits.length - 1; i >= k && pool.length < k; i--) pool.push(byId.get(hits[i].id) as CorpusDocument);
      let score = 1;
      return pool.slice(0, k).map((doc, rank) => {
        score = hits[rank]?.score ?? score * 0.9;
        return result(doc, score, false);
      });
    },
  };
}

/** Builds the retrieval fake's msw handlers; reads the corpus file once, now (throws `DatasetError`). */
export function retrievalHandlers(options: RetrievalFakeOptions = {}, context: HandlerContext = {}): HttpHandler[] {
  const o = { ...RETRIEVAL_FAKE_DEFAULTS, ...options };
  const { runtime, at } = resolveHandlerContext('retrieval', context);
  const corpus = createCorpusIndex(loadCorpus(o.corpus));
  return [
    http.post(at('/search'), async ({ request }) => {
      const body = await readJsonObject(request);
      const applied = runtime.roll(request, { stream: false });
      const replaced = replacedResponse(applied);
      if (replaced) return replaced;
      if (body instanceof Response) return body;
      if (typeof body.query !== 'string' || body.query.trim().length === 0 || body.query.length > MAX_QUERY_CHARS) {
        return invalidParamError('query', `Invalid 'query': expected a non-empty string of at most ${MAX_QUERY_CHARS} characters.`);
      }
      const k = body.k ?? o.default_k;
      if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) {
        return invalidParamError('k', "Invalid 'k': expected an integer >= 1.");
      }
      await pause(o.latency_ms, request.signal);
      const query = body.query;
      const served = Math.min(k, o.max_k);
      const mode = applied?.mode;
      const results =
        mode?.kind === 'empty'
          ? []
          : mode?.kind === 'irrelevant'
            ? corpus.irrelevant(query, served, applied!.random(`${served}:${query}`))
            : mode?.kind === 'partial'
              ? corpus.search(query, Math.min(served, mode.keep ?? MODE_DEFAULTS.partial.keep), false)
              : corpus.search(query, served, mode?.kind === 'stale');
      runtime.record(request, { returned_ids: results.map((r) => r.id) });
      return HttpResponse.json({ results });
    }),
  ];
}
