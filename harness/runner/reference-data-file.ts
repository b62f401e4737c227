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
  const option = (kind: string, key: string) => {
    const spec = Object.values(dependencies).find((d) => d.kind === kind && typeof d.options[key] === 'string');
    return spec ? resolve(cwd, spec.options[key] as string) : undefined;
  };
  const corpus = readJson(option('retrieval', 'corpus') ?? DATASET('corpus.json')) as CorpusInput;
  const inventory = readJson(option('inventory', 'inventory') ?? DATASET('inventory.json')) as InventoryInput;
  return createReferenceData(
    { documents: Array.isArray(corpus?.documents) ? corpus.documents : [] },
    { products: Array.isArray(inventory?.products) ? inventory.products : [] },
  );
}
