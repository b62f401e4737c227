/**
 * Loads the shipped dataset files (or a user's, by path) and checks the fields the fakes rely on.
 * Shapes: docs/architecture.md "Dataset". Errors name the file and field: `corpus.json: documents[3].versions
 * must hold at least one version`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Default paths of the shipped dataset files. */
export const DEFAULT_CORPUS_PATH = fileURLToPath(new URL('./dataset/corpus.json', import.meta.url));
export const DEFAULT_INVENTORY_PATH = fileURLToPath(new URL('./dataset/inventory.json', import.meta.url));

export interface DocumentVersion {
  version: number;
  updated_at: string;
  text: string;
}

export interface CorpusDocument {
  id: string;
  title: string;
  topic?: string;
  versions: DocumentVersion[];
}

export interface Product {
  sku: string;
  name: string;
  price: number;
  currency: string;
  stock: number;
  updated_at: string;
  stale?: { price: number; stock: number };
}

/** Thrown when a dataset file is missing, not JSON, or misses a field; `code` is `DATASET_INVALID`. */
export class DatasetError extends Error {
  readonly code = 'DATASET_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'DatasetError';
  }
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new DatasetError(
      `${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}). Pass a valid path in the fake's options.`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DatasetError(`${path}: is not valid JSON (${(error as Error).message}).`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Loads a corpus file; versions are sorted ascending so the last one is current. */
export function loadCorpus(path: string = DEFAULT_CORPUS_PATH): CorpusDocument[] {
  const data = readJson(path);
  if (!isObject(data) || !Array.isArray(data.documents)) throw new DatasetError(`${path}: documents must be an array`);
  return data.documents.map((doc: unknown, i: number) => {
    const where = `${path}: documents[${i}]`;
    if (!isObject(doc) || typeof doc.id !== 'string' || typeof doc.title !== 'string') {
      throw new DatasetError(`${where} must have a string id and title`);
    }
    if (!Array.isArray(doc.versions) || doc.versions.length === 0)
      throw new DatasetError(`${where}.versions must hold at least one version`);
    const versions = doc.versions.map((v: unknown, j: number) => {
      if (!isObject(v) || typeof v.version !== 'number' || typeof v.text !== 'string' || typeof v.updated_at !== 'string') {
        throw new DatasetError(`${where}.versions[${j}] must have a number version, a string updated_at and a string text`);
      }
      return { version: v.version, updated_at: v.updated_at, text: v.text };
    });
    versions.sort((a: DocumentVersion, b: DocumentVersion) => a.version - b.version);
    return { id: doc.id, title: doc.title, ...(typeof doc.topic === 'string' ? { topic: doc.topic } : {}), versions };
  });
}

/** Loads an inventory file. */
export function loadInventory(path: string = DEFAULT_INVENTORY_PATH): Product[] {
  const data = readJson(path);
  if (!isObject(data) || !Array.isArray(data.products)) throw new DatasetError(`${path}: products must be an array`);
  return data.products.map((p: unknown, i: number) => {
    const where = `${path}: products[${i}]`;
    if (
      !isObject(p) ||
      typeof p.sku !== 'string' ||
      typeof p.name !== 'string' ||
      typeof p.price !== 'number' ||
      typeof p.stock !== 'number'
    ) {
      throw new DatasetError(`${where} must have a string sku and name and a number price and stock`);
    }
    const stale =
      isObject(p.stale) && typeof p.stale.price === 'number' && typeof p.stale.stock === 'number'
        ? { price: p.stale.price, stock: p.stale.stock }
        : undefined;
    return {
      sku: p.sku,
      name: p.name,
      price: p.price,
      currency: typeof p.currency === 'string' ? p.currency : 'USD',
      stock: p.stock,
      updated_at: typeof p.updated_at === 'string' ? p.updated_at : '',
      ...(stale ? { stale } : {}),
    };
  });
}
