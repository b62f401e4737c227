/** Whole-token fact matching and citation segments of an answer: the text primitives every RAG check uses. */

/**
 * Whether `text` holds `fact` as a whole token run, case-insensitively: `45 days` is not found in `145 days`,
 * `$15` not in `$150`. A fact edge that is a letter or digit must not touch another letter or digit.
 */
export function containsFact(text: string, fact: string): boolean {
  const t = text.toLowerCase();
  const f = fact.toLowerCase().trim();
  if (f === '') return false;
  const word = /[\p{L}\p{N}]/u;
  for (let i = t.indexOf(f); i >= 0; i = t.indexOf(f, i + 1)) {
    const before = i > 0 ? t[i - 1] : '';
    const after = t[i + f.length] ?? '';
    const okBefore = !word.test(f[0]) || before === '' || !word.test(before);
    // A trailing decimal point or comma followed by digits continues a number: "$12" is not in "$12.50".
    const continuesNumber = /[\p{N}]/u.test(f.at(-1)!) && /^[.,]\d/.test(t.slice(i + f.length, i + f.length + 2));
    const okAfter = (!word.test(f.at(-1)!) || after === '' || !word.test(after)) && !continuesNumber;
    if (okBefore && okAfter) return true;
  }
  return false;
}

const CITATION = /\[([A-Za-z0-9_.:-]+)\]/g;

/**
 * Splits an answer into the stretches that end with citation markers: `A. [doc-1] B. [doc-2]` →
 * [{text: 'A. [doc-1]', ids: ['doc-1']}, {text: ' B. [doc-2]', ids: ['doc-2']}]; a trailing stretch with no
 * marker has no ids.
 */
export function citedSegments(answer: string): Array<{ text: string; ids: string[] }> {
  const segments: Array<{ text: string; ids: string[] }> = [];
  let start = 0;
  let ids: string[] = [];
  let last = 0;
  for (const m of answer.matchAll(CITATION)) {
    const between = answer.slice(last, m.index);
    if (ids.length > 0 && between.trim() !== '') {
      segments.push({ text: answer.slice(start, last), ids });
      start = last;
      ids = [];
    }
    ids.push(m[1]);
    last = m.index + m[0].length;
  }
  if (ids.length > 0) segments.push({ text: answer.slice(start, last), ids });
  if (last < answer.length && answer.slice(last).trim() !== '') segments.push({ text: answer.slice(last), ids: [] });
  return segments;
}
