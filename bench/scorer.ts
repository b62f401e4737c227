/**
 * B10 (issue 5): scorer throughput. Builds one sample per dataset question the way a run sees it: the model
 * fake's own extractive answer (fakes/extractive-answerer.ts) over a prompt holding the relevant documents'
 * current version and two others, wrapped as the example service answers (`{answer, citations}`); every 4th
 * sample is given the stale version instead (scored `stale`), every 7th loses its facts. Evidence as the
 * fakes' logs give it (retrieval returned those documents). Then scores them in a loop, bounded in time,
 * through createRunScorer (ragAnswer: fabrication, grounding, freshness, attribution, recall, repeated-answer
 * tracking), a fresh scorer per pass so nothing is served from its result cache, with and without evidence; then
 * once more through one scorer, where repeated responses are remembered. Goal ≥ 20,000 samples/s.
 * Usage: node bench/scorer.ts [--quick] [--seconds 2] [--repeats 3]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { answerQuestion, parsePrompt } from '../fakes/extractive-answerer.ts';
import { loadQuestions } from '../harness/runner/request-source.ts';
import { createReferenceData } from '../harness/scoring/reference-data.ts';
import { createRunScorer } from '../harness/scoring/custom-scorer.ts';
import type { SampleEvidence } from '../harness/scoring/answer-checks.ts';
import { QUICK, ROOT, argNumber, f, header, median } from './lib.ts';

const seconds = argNumber('seconds', QUICK ? 1 : 2);
const repeats = argNumber('repeats', 3);
const corpus = JSON.parse(readFileSync(join(ROOT, 'fakes/dataset/corpus.json'), 'utf8'));
const inventory = JSON.parse(readFileSync(join(ROOT, 'fakes/dataset/inventory.json'), 'utf8'));
const reference = createReferenceData(corpus, inventory);
const docs = new Map<string, Array<{ text: string }>>(
  corpus.documents.map((d: { id: string; versions: Array<{ text: string }> }) => [d.id, d.versions]),
);
const ids = [...docs.keys()];
const questions = loadQuestions();

const samples = questions.map((q, i) => {
  const context = [...q.relevant_ids.filter((id) => docs.has(id)), ids[(i * 7) % ids.length], ids[(i * 13 + 5) % ids.length]];
  const stale = i % 4 === 3;
  const prompt =
    context
      .map((id) => {
        const v = docs.get(id)!;
        return `[${id}] ${(stale ? v[0] : v.at(-1)!).text}`;
      })
      .join('\n') + `\nQuestion: ${q.question}`;
  const a = answerQuestion(parsePrompt(prompt));
  const text = i % 7 === 6 ? a.text.replace(/\d+/g, '') : a.text;
  const body = JSON.stringify({ answer: text, citations: [...new Set(a.citations)], fallback: false });
  const evidence: SampleEvidence = {
    calls: { retrieval: { calls: 1, errors: 0, ms: 2 }, model: { calls: 1, errors: 0, ms: 5 } },
    retrieval_calls: 1,
    returned_ids: context,
    model_cited_ids: a.citations,
  };
  return {
    sample: {
      status: 200,
      error_kind: null,
      body,
      latency_ms: 20,
      request: { question: q.question },
      question_id: q.id,
      category: q.category,
    },
    truth: q,
    evidence,
  };
});
const spec = { kind: 'rag-answer', answer: 'answer', citations: 'citations', okRecall: 1, fallbackTexts: [], repeatedAnswer: 3 } as const;

/**
 * fresh: a new run scorer for every pass over the samples, so each is scored in full (its result cache never
 * hits: the headline figure); otherwise one scorer for the whole loop, as a run that gets the same responses
 * again (results remembered, custom-scorer.ts).
 */
function run(withEvidence: boolean, fresh = true): { rate: number; outcomes: Record<string, number> } {
  let scorer = createRunScorer(spec as never, reference);
  const outcomes: Record<string, number> = {};
  let n = 0;
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  while (performance.now() < end && n < 5_000_000) {
    if (fresh) scorer = createRunScorer(spec as never, reference);
    for (const s of samples) {
      const out = scorer.score(s.sample, s.truth, withEvidence ? s.evidence : null)!;
      if (n < samples.length) outcomes[out.outcome] = (outcomes[out.outcome] ?? 0) + 1;
      n++;
    }
  }
  return { rate: n / ((performance.now() - start) / 1000), outcomes };
}

header('B10', `scorer throughput, ${samples.length} distinct samples (fake answers) scored in a loop for ${seconds} s, ${repeats} repeats`);
run(true); // warm-up
for (const withEvidence of [true, false]) {
  const rates: number[] = [];
  let outcomes = {};
  for (let i = 0; i < repeats; i++) {
    const r = run(withEvidence);
    rates.push(r.rate);
    outcomes = r.outcomes;
  }
  console.log(
    `${withEvidence ? 'with evidence (retrieval log)' : 'without evidence (whole corpus)'}: ${rates.map((r) => f(r, 0)).join(', ')} samples/s; outcomes of one pass ${JSON.stringify(outcomes)}`,
  );
  console.log(`B10 result (${withEvidence ? 'with' : 'without'} evidence): median ${f(median(rates), 0)} samples/s (goal ≥ 20,000)`);
}
const repeated = Array.from({ length: repeats }, () => run(true, false).rate);
console.log(
  `the same responses again through one run scorer (results remembered), with evidence: median ${f(median(repeated), 0)} samples/s (not the goal's figure)`,
);
