import type { Scenario } from './scenario';

/**
 * The approaches, floor first: every ratio is to it. Each is loaded on its
 * own, so a run's memory and module loading include only the modules that
 * approach needs (cdk8s-plus and this library for the library, the kubectl
 * layer for eks-v2).
 */
const MODULES: { [name: string]: () => Scenario } = {
  'l1': () => require('./l1').l1,
  'library': () => require('./library').library,
  'eks-v2': () => require('./eks-v2').eksV2,
  'library-token-issuer': () => require('./library-token-issuer').libraryTokenIssuer,
  'l2-reference': () => require('./l2-reference').l2Reference,
  'l2-same-output': () => require('./l2-same-output').l2SameOutput,
};

export const SCENARIO_NAMES = Object.keys(MODULES);
export const FLOOR = 'l1';

export function loadScenario(name: string): Scenario {
  const load = MODULES[name];
  if (!load) { throw new Error(`Unknown scenario '${name}'; choose one of ${SCENARIO_NAMES.join(', ')}.`); }
  return load();
}
