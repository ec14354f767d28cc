import type { Scenario } from './scenario';

/**
 * The approaches, floor first: every ratio is to it. Each is loaded on its
 * own, so a run's memory and import time include only the modules that
 * approach needs (cdk8s-plus and this library for the library, the kubectl
 * layer for eks-v2).
 */
const MODULES: { [name: string]: () => Scenario } = {
  'l1-floor': () => require('./l1-floor').l1Floor,
  'l1-nested': () => require('./l1-floor').l1Nested,
  'library': () => require('./library').library,
  'eks-v2': () => require('./eks-v2-service-account').eksV2ServiceAccount,
  'l2-reference': () => require('./l2-reference').l2Reference,
};

export const SCENARIO_NAMES = Object.keys(MODULES);
export const FLOOR = 'l1-floor';

export function loadScenario(name: string): Scenario {
  const load = MODULES[name];
  if (!load) { throw new Error(`Unknown scenario '${name}'; choose one of ${SCENARIO_NAMES.join(', ')}.`); }
  return load();
}
