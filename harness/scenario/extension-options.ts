/**
 * Load-time checks of what a scenario adds to its fakes (contract/fake-extensions.ts): the model fake's `quota`,
 * every fake's `fixtures` and `handlers`, and a `custom` fake's required `handlers`. The fakes check the same
 * options with the same contract rules when they start; checking here makes a mistake an exit-2 problem with the
 * field's path before anything runs. Pure: whether the handlers module exists is checked by the scenario loader.
 */
import { EXTENSIONS_OF, EXTENSION_OPTIONS, type ExtensionOption, extensionOptionProblems } from '../../contract/index.ts';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Problems of the extension options of every dependency, each `dependencies.<name>.options.<field> ...`. */
export function dependencyExtensionProblems(dependencies: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(dependencies)) {
    if (!isRecord(spec) || typeof spec.kind !== 'string') continue;
    const where = `dependencies.${name}.options`;
    const options = isRecord(spec.options) ? spec.options : {};
    const allowed = EXTENSIONS_OF[spec.kind] ?? [];
    for (const key of Object.keys(EXTENSION_OPTIONS) as ExtensionOption[]) {
      if (!Object.hasOwn(options, key)) continue;
      if (!allowed.includes(key)) {
        problems.push(`${where}.${key} is not an option of a ${spec.kind} fake (it applies to: ${kindsWith(key).join(', ')})`);
        continue;
      }
      problems.push(...extensionOptionProblems(spec.kind, key, options[key], `${where}.${key}`));
    }
    if (spec.kind === 'custom' && options.handlers === undefined)
      problems.push(
        `${where}.handlers is required: the module of the custom fake's msw handlers (fakes.custom({ handlers: './my-api.ts' }))`,
      );
  }
  return problems;
}

const kindsWith = (key: ExtensionOption) => Object.keys(EXTENSIONS_OF).filter((kind) => EXTENSIONS_OF[kind].includes(key));
