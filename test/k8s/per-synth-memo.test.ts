import * as cdk8s from 'cdk8s';
import { Construct } from 'constructs';
import { PerSynthMemo } from '../../lib/k8s/per-synth-memo';

/** A construct whose validation reads "the whole app" through a memo, counting the reads. */
class Counting extends Construct {
  public reads = 0;
  private readonly memo = new PerSynthMemo<string[]>();

  constructor(scope: Construct, id: string, private readonly errors: () => string[] = () => []) {
    super(scope, id);
    this.node.addValidation({ validate: () => this.memo.get(() => { this.reads++; return this.errors(); }) });
  }
}

function appWithCharts(count: number): { app: cdk8s.App; counting: Counting } {
  const app = cdk8s.Testing.app();
  for (let i = 0; i < count; i++) {
    new cdk8s.ApiObject(new cdk8s.Chart(app, `chart-${i}`), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` } });
  }
  return { app, counting: new Counting(app, 'counting') };
}

describe('PerSynthMemo', () => {
  test('one App.synth reads once, however many charts cdk8s validates the app for', () => {
    // GIVEN an app of five charts: cdk8s validates it 1 + 5 times per synth
    const { app, counting } = appWithCharts(5);
    // WHEN
    app.synth();
    // THEN
    expect(counting.reads).toBe(1);
  });

  test('App.synthYaml reads once too', () => {
    const { app, counting } = appWithCharts(3);
    app.synthYaml();
    expect(counting.reads).toBe(1);
  });

  test('each synth reads afresh, also two in one tick', () => {
    const { app, counting } = appWithCharts(2);
    app.synth();
    app.synth();
    expect(counting.reads).toBe(2);
  });

  test('each Chart.toJson() and direct validation of the user reads afresh', () => {
    const { app, counting } = appWithCharts(2);
    const [first, second] = app.charts;
    first.toJson();
    cdk8s.Testing.synth(second);
    counting.node.validate();
    expect(counting.reads).toBe(3);
  });

  test('a failing first pass is not kept: the next synth reads again, and sees the fix', () => {
    // GIVEN a validation that fails until fixed
    const app = cdk8s.Testing.app();
    new cdk8s.Chart(app, 'one');
    let broken = true;
    const counting = new Counting(app, 'counting', () => broken ? ['broken'] : []);
    expect(() => app.synth()).toThrow(/broken/);
    // WHEN fixed, in the same tick
    broken = false;
    // THEN
    expect(() => app.synth()).not.toThrow();
    expect(counting.reads).toBe(2);
  });

  test('a stack formatter or limit set by the app is left as it was', () => {
    const prepare = (_e: Error, sites: NodeJS.CallSite[]) => `custom ${sites.length}`;
    const [original, limit] = [Error.prepareStackTrace, Error.stackTraceLimit];
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = 3;
    try {
      const { app } = appWithCharts(1);
      app.synth();
      expect(Error.prepareStackTrace).toBe(prepare);
      expect(Error.stackTraceLimit).toBe(3);
    } finally {
      Error.prepareStackTrace = original;
      Error.stackTraceLimit = limit;
    }
  });
});
