import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * Has cdk8s write `chart` after `namespaces` (the app's namespaces chart), as
 * a dependency of the one on the other does, without what that dependency
 * costs at synth.
 *
 * cdk8s orders an app's charts by their dependencies (`App.charts`, a
 * `DependencyGraph` of the app). Before it renders each chart it also turns
 * every dependency between two charts into one from each object of the one to
 * each object of the other (`resolveDependencies` in cdk8s's `app.js`), and
 * does so again for every chart it renders: a chart of ServiceAccounts that
 * depends on the namespaces chart costs its objects times the namespaces, in
 * each of the charts + 2 passes of a synth (quadratic in a GitOps repository
 * with one chart per team). Those object dependencies change nothing in the
 * output: a chart renders its own objects in order, whatever they depend on
 * outside it.
 *
 * So the chart depends on a stand-in instead: an empty chart outside the app
 * at the namespaces chart's path. `DependencyGraph` finds a dependency's
 * vertex by its construct path, so `App.charts` orders the chart after the
 * namespaces chart exactly as before (user dependencies between charts
 * included); `resolveDependencies` still sees a dependency between two charts
 * (files keep their `0000-` index) but finds no object in the stand-in to fan
 * out to. Where cdk8s does not order a stand-in so (checked once per process
 * on a two-chart app), the chart depends on the namespaces chart itself:
 * slower, in the same order.
 */
export function writeAfterNamespaces(chart: Chart, namespaces: Chart): void {
  chart.node.addDependency(standInsOrderCharts() ? standInFor(namespaces) : namespaces);
}

/** Each namespaces chart's stand-in. */
const STAND_INS = new WeakMap<Chart, Chart>();

/** An empty chart, outside any app, at `chart`'s construct path. */
function standInFor(chart: Chart): Chart {
  let standIn = STAND_INS.get(chart);
  if (!standIn) {
    standIn = standInAt(chart.node.path);
    STAND_INS.set(chart, standIn);
  }
  return standIn;
}

function standInAt(constructPath: string): Chart {
  const ids = constructPath.split('/');
  // A root of its own (App is one too): the stand-in is in no app's tree, so nothing renders or validates it.
  let scope = new Construct(undefined as any, '');
  for (const id of ids.slice(0, -1)) { scope = new Construct(scope, id); }
  return new Chart(scope, ids[ids.length - 1]);
}

let ordersStandIns: boolean | undefined;

/** Whether this cdk8s orders a chart that depends on a stand-in after the chart at the stand-in's path. */
function standInsOrderCharts(): boolean {
  if (ordersStandIns === undefined) {
    const app = new App({ outdir: 'stand-in-probe' });
    const dependent = new Chart(app, 'dependent');
    new ApiObject(dependent, 'object', { apiVersion: 'v1', kind: 'ConfigMap' });
    const target = new Chart(app, 'target');
    new ApiObject(target, 'object', { apiVersion: 'v1', kind: 'ConfigMap' });
    dependent.node.addDependency(standInAt(target.node.path));
    const order = app.charts;
    ordersStandIns = order.length === 2 && order[0] === target && order[1] === dependent;
  }
  return ordersStandIns;
}

