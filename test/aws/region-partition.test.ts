import { RegionInfo } from 'aws-cdk-lib/region-info';
import { regionPartition } from '../../lib/aws/region-partition';

// regionPartition gives what aws-cdk-lib's RegionInfo gives, without loading RegionInfo's fact
// table for the regions aws-cdk-lib lists (about 85 ms of CPU and 25 MB per synth otherwise).

test('GIVEN every region aws-cdk-lib knows WHEN its partition is asked THEN it is RegionInfo\'s, partition and domain suffix', () => {
  const regions = RegionInfo.regions.map(r => r.name);
  expect(regions.length).toBeGreaterThan(30);
  const differences = regions
    .map(region => ({ region, ours: regionPartition(region), theirs: RegionInfo.get(region) }))
    .filter(({ ours, theirs }) => ours.partition !== theirs.partition || ours.domainSuffix !== theirs.domainSuffix);
  expect(differences).toEqual([]);
  // every partition appears, not only 'aws'
  expect(new Set(regions.map(r => regionPartition(r).partition))).toEqual(new Set(['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc']));
});

test('GIVEN a region aws-cdk-lib does not know WHEN asked THEN RegionInfo answers, as before (no partition)', () => {
  expect(regionPartition('xx-moon-1')).toEqual({ partition: undefined, domainSuffix: undefined });
});

describe('what is loaded', () => {
  afterEach(() => jest.dontMock('aws-cdk-lib/region-info'));

  /** regionPartition of a fresh module registry in which loading aws-cdk-lib/region-info throws. */
  function withoutRegionInfo(): typeof regionPartition {
    let fn: typeof regionPartition | undefined;
    jest.isolateModules(() => {
      jest.doMock('aws-cdk-lib/region-info', () => { throw new Error('aws-cdk-lib/region-info was loaded'); });
      fn = require('../../lib/aws/region-partition').regionPartition;
    });
    return fn!;
  }

  test('GIVEN a region aws-cdk-lib lists WHEN asked THEN region-info\'s table is not loaded', () => {
    const partitionOf = withoutRegionInfo();
    expect(partitionOf('eu-west-1')).toEqual({ partition: 'aws', domainSuffix: 'amazonaws.com' });
    expect(partitionOf('cn-northwest-1')).toEqual({ partition: 'aws-cn', domainSuffix: 'amazonaws.com.cn' });
  });

  test('GIVEN an unknown region WHEN asked THEN region-info is loaded (the check above can fail)', () => {
    expect(() => withoutRegionInfo()('xx-moon-1')).toThrow('aws-cdk-lib/region-info was loaded');
  });
});
