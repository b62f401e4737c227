/**
 * Reads the documents and inventory the scenario's fakes serve (the shipped dataset, or the `corpus` /
 * `inventory` file a fake's options name) into the scorers' reference data.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ShakedownError } from '../errors.ts';
import type { FakeSpec } from '../scenario/index.ts';
import { createReferenceData, type CorpusInput, type InventoryInput, type ReferenceData } from '../scoring/reference-data.ts';

const DATASET = (name: string) => fileURLToPath(new URL(`../../fakes/dataset/${name}`, import.meta.url));

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ShakedownError('DATASET_INVALID', `Cannot read ${path} for scoring: ${(error as Error).message}`);
  }
}

/** @throws ShakedownError DATASET_INVALID when a file cannot be read */
export function loadReferenceData(dependencies: Record<string, FakeSpec>, cwd: string): ReferenceData {
  const specs = Object.values(dependencies);
  const corpusOption = specs.flatMap((d) => (d.kind === 'retrieval' && d.options?.corpus ? [d.options.corpus] : []))[0];
  const inventoryOption = specs.flatMap((d) => (d.kind === 'inventory' && d.options?.inventory ? [d.options.inventory] : []))[0];
  const corpus = readJson(corpusOption ? resolve(cwd, corpusOption) : DATASET('corpus.json')) as CorpusInput;
  const inventory = readJson(inventoryOption ? resolve(cwd, inventoryOption) : DATASET('inventory.json')) as InventoryInput;
  return createReferenceData(
    { documents: Array.isArray(corpus?.documents) ? corpus.documents : [] },
    { products: Array.isArray(inventory?.products) ? inventory.products : [] },
  );
}
