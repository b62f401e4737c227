/**
 * What the dataset holds, indexed for the fabrication and grounding checks: every document id with the text of
 * every version, every inventory record's SKU with its numbers (current and stale price and stock, numbers in
 * its name). Built from plain data (the runner reads the files), so scorers stay pure.
 */

export interface ReferenceData {
  /** Document id → text of every version. */
  documents: ReadonlyMap<string, readonly string[]>;
  /** SKU → the numbers its record holds. */
  products: ReadonlyMap<string, ReadonlySet<number>>;
  /** Numbers of every version of every document (used when a sample's retrieval results are unknown). */
  documentNumbers: ReadonlySet<number>;
  /** Numbers of every inventory record. */
  productNumbers: ReadonlySet<number>;
}

export interface CorpusInput {
  documents: Array<{ id: string; versions: Array<{ text: string }> }>;
}
export interface InventoryInput {
  products: Array<{ sku: string; name: string; price: number; stock: number; stale?: { price?: number; stock?: number } }>;
}

/** Bracketed citation markers (`[doc-001]`) and id tokens (`doc-001`, `SKU-1001`): not numbers of the answer. */
const MARKER = /\[[^\][]*\]/g;
const ID_TOKEN = /\b[A-Za-z]+(?:[-_][A-Za-z]+)*[-_]\d[\w-]*/g;
const NUMBER = /\d+(?:,\d{3})*(?:\.\d+)?/g;

/** A number compared by value at 6 decimals: `7.50`, `7.5` and `$7.50` are the same; `1,299` is 1299. */
const canonical = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * The numbers of a text, by value, outside citation markers and id tokens: `Mail returns cost $7.50 [doc-001]`
 * → [7.5]; `Summit 2 Tent (SKU-1002), stock 12` → [2, 12].
 */
export function numbersIn(text: string): number[] {
  const cleaned = text.replace(MARKER, ' ').replace(ID_TOKEN, ' ');
  return [...cleaned.matchAll(NUMBER)].map((m) => canonical(Number(m[0].replace(/,/g, ''))));
}

export function createReferenceData(corpus: CorpusInput, inventory: InventoryInput): ReferenceData {
  const documents = new Map<string, string[]>();
  const documentNumbers = new Set<number>();
  for (const d of corpus.documents) {
    documents.set(
      d.id,
      d.versions.map((v) => v.text),
    );
    for (const v of d.versions) for (const n of numbersIn(v.text)) documentNumbers.add(n);
  }
  const products = new Map<string, Set<number>>();
  const productNumbers = new Set<number>();
  for (const p of inventory.products) {
    const values = [p.price, p.stock, p.stale?.price, p.stale?.stock].filter((v): v is number => typeof v === 'number').map(canonical);
    const set = new Set([...values, ...numbersIn(p.name)]);
    products.set(p.sku, set);
    for (const n of set) productNumbers.add(n);
  }
  return { documents, products, documentNumbers, productNumbers };
}
