/**
 * Silent-fallback detection by repetition: the same answer text returned for several different questions in
 * one run is a canned answer, whatever the response says about it. Deterministic for a given order of
 * completions: the text is normalized (case, whitespace, citation markers dropped), and a sample is flagged
 * once its text has been seen for `threshold` distinct questions, itself included; the earlier occurrences
 * (at most threshold − 1 per text) were scored on their content (usually `wrong`: a canned text holds none
 * of the facts). Memory is bounded: at most `maxTexts` texts are tracked, each with at most `threshold` ids.
 */

export interface RepeatedAnswers {
  /** Records that `questionId` got `answer`; returns for how many distinct questions this text was returned. */
  observe(answer: string, questionId: string): number;
  readonly threshold: number;
}

const normalize = (text: string) =>
  text
    .replace(/\[[^\][]*\]/g, ' ')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 500);

export function createRepeatedAnswers(threshold: number, maxTexts = 20_000): RepeatedAnswers {
  const seen = new Map<string, Set<string>>();
  return {
    threshold,
    observe(answer, questionId) {
      const key = normalize(answer);
      let ids = seen.get(key);
      if (!ids) {
        if (seen.size >= maxTexts) return 1;
        seen.set(key, (ids = new Set()));
      }
      if (ids.size < threshold) ids.add(questionId);
      return ids.size;
    },
  };
}
