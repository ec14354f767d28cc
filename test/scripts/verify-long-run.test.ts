import { aggregateLongRun, ChunkProgress, describeLongRun, describePatternRun, patternRunOf } from '../../scripts/verify-long-run';

// scripts/verify-long-run.ts adds up the seed chunks of the layout long run (issue 18); docs/verification.md
// records its summary, so a chunk that did not pass must never make the run look complete.
const chunk = (seed: number, over: Partial<ChunkProgress> = {}): ChunkProgress => ({
  status: 'passed', seed, asked: 1000, checked: 1000, delivered: 700, refused: 300, skippedKnownFailing: 50,
  knownFailing: ['Pod Identity in the China Regions (issue 18 §3)'], seconds: 600,
  refusalsByClass: { 'pod-identity-on-not-eks': 20, 'second-owner-of-a-cluster': 280 },
  partitions: { 'aws': { delivered: 600, refused: 250 }, 'aws-cn': { delivered: 100, refused: 50 } },
  addons: { 'aws-ebs-csi-driver IRSA': { delivered: 5, refused: 1 } },
  stats: { layoutTrustCases: 80_000, permissionAllowed: 10, permissionDenied: 90, resolverTemplatesCompared: 1800 },
  ...over,
});

describe('the layout long run summary', () => {
  test('adds up every chunk: apps, outcomes, refusal classes, partitions, add-ons and evaluated cases', () => {
    // GIVEN two passed chunks of 1,000 apps WHEN added up for a run of 2,000
    const s = aggregateLongRun([chunk(7), chunk(8, { refusalsByClass: { 'pod-identity-on-not-eks': 300 }, partitions: { 'aws-us-gov': { delivered: 700, refused: 300 } } })], 2000);
    // THEN every count is the sum, and the run is complete
    expect(s).toMatchObject({
      complete: true, seeds: [7, 8], asked: 2000, checked: 2000, delivered: 1400, refused: 600, skippedKnownFailing: 100, seconds: 1200,
      refusalsByClass: { 'pod-identity-on-not-eks': 320, 'second-owner-of-a-cluster': 280 },
      partitions: { 'aws': { delivered: 600, refused: 250 }, 'aws-cn': { delivered: 100, refused: 50 }, 'aws-us-gov': { delivered: 700, refused: 300 } },
      addons: { 'aws-ebs-csi-driver IRSA': { delivered: 10, refused: 2 } },
      stats: { layoutTrustCases: 160_000, permissionAllowed: 20, permissionDenied: 180, resolverTemplatesCompared: 3600 },
      failures: [],
    });
    expect(describeLongRun(s)).toBe('complete: seeds 7..8, 2000 of 2000 apps checked in 1200 s: 1400 delivered exactly, 600 refused naming the reason\'s class, ' +
      '100 drawn and left out (known-failing); 160000 trust and chain cases, 200 permission cases, 3600 templates resolved by both resolvers; failures: 0');
  });

  test.each([
    ['a chunk stopped while running', [chunk(7), chunk(8, { status: 'running', checked: 420 })]],
    ['a failed chunk', [chunk(7), chunk(8, { status: 'failed', checked: 420, failure: 'Not delivered as declared' })]],
    ['fewer chunks than the run asked for', [chunk(7)]],
    ['no chunk', []],
  ])('is not complete with %s', (_what, chunks) => {
    // GIVEN a run of 2,000 apps WHEN a chunk did not pass in full THEN the summary says so
    const s = aggregateLongRun(chunks, 2000);
    expect(s.complete).toBe(false);
    if (chunks.length > 0) { expect(describeLongRun(s)).toMatch(/^INCOMPLETE: /); }
  });

  test('keeps each failure with its seed', () => {
    const s = aggregateLongRun([chunk(7, { status: 'failed', failure: 'Refused without naming the class' })], 1000);
    expect(s.failures).toEqual([{ seed: 7, failure: 'Refused without naming the class' }]);
  });
});

describe('the pattern layouts of the long run', () => {
  const tally = (t: object, seed = 7) => `PASS test/verify/pattern-layouts.test.ts\npattern layouts (seed ${seed}): ${JSON.stringify(t)}\n`;
  const clean = { delivered: 130, refused: 70, cases: 60000, wrongAllow: 0, wrongDeny: 0, nearMissesDenied: 9000 };

  test('GIVEN jest passed and printed a tally of every layout WHEN read THEN the run passed, with its counts', () => {
    const run = patternRunOf(tally(clean), 7, 200, 0, 40);
    expect(run).toEqual({ status: 'passed', seed: 7, asked: 200, delivered: 130, refused: 70, cases: 60000, wrongAllow: 0, wrongDeny: 0, seconds: 40 });
    expect(describePatternRun(run)).toBe('pattern layouts passed: seed 7, 200 of 200 layouts checked in 40 s: 130 delivered exactly, ' +
      '70 refused naming the pattern and the rule; 60000 trust cases; wrong allows 0, wrong denies 0');
  });

  test.each([
    ['jest failed', tally(clean), 1],
    ['jest was stopped', tally(clean), null],
    ['no tally (the test failed before printing it)', 'FAIL test/verify/pattern-layouts.test.ts\n', 0],
    ['the tally of another seed', tally(clean, 8), 0],
    ['fewer layouts checked than asked', tally({ ...clean, refused: 69 }), 0],
    ['a wrong allow', tally({ ...clean, wrongAllow: 1 }), 0],
    ['a wrong deny', tally({ ...clean, wrongDeny: 1 }), 0],
  ])('GIVEN %s WHEN read THEN the run failed', (_, log, exitStatus) => {
    expect(patternRunOf(log, 7, 200, exitStatus, 40).status).toBe('failed');
  });
});
