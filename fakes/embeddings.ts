/**
 * Deterministic embeddings: a signed, hashed bag of content-word stems, L2-normalized.
 * Texts sharing words get a positive cosine similarity; the same text always gets the same vector.
 */
import { hashString } from '../contract/index.ts';
import { STOP_WORDS, stem, tokenize } from './text-analysis.ts';

/** Default vector length. */
export const DEFAULT_EMBEDDING_DIM = 64;

/** Embeds `text` into `dim` floats (unit length, or all zeros for text without words). */
export function embedText(text: string, dim: number = DEFAULT_EMBEDDING_DIM): number[] {
  const vector = new Array<number>(dim).fill(0);
  for (const token of tokenize(text)) {
    if (STOP_WORDS.has(token)) continue;
    const h = hashString(stem(token));
    vector[h % dim] += h & 0x80000000 ? -1 : 1;
  }
  const norm = Math.hypot(...vector);
  return norm === 0 ? vector : vector.map((v) => v / norm);
}

/** Encodes a vector as OpenAI's `encoding_format: "base64"` does: little-endian float32 bytes, base64. */
export function vectorToBase64(vector: number[]): string {
  const floats = Float32Array.from(vector);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
}
