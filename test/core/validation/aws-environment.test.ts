import { RegionInfo } from 'aws-cdk-lib/region-info';
import { accountProblem, partitionProblem, regionProblem } from '../../../lib/core/validation';

// The test may load aws-cdk-lib; the module under test does not.
describe('the ARN parts every AWS region and partition has', () => {
  test('GIVEN every region aws-cdk-lib knows WHEN its code and partition are checked THEN both are accepted', () => {
    const regions = RegionInfo.regions.map(r => r.name);
    expect(regions.length).toBeGreaterThan(30);
    expect(regions.filter(r => regionProblem(r) !== undefined)).toEqual([]);
    expect(regions.map(r => RegionInfo.get(r).partition!).filter(p => partitionProblem(p) !== undefined)).toEqual([]);
  });

  test.each([
    ['EU-WEST-1'], ['eu-west'], ['euwest1'], ['eu-west-1 '], ['*'],
  ])('GIVEN the region %j WHEN checked THEN it is refused', (region) => {
    expect(regionProblem(region)).toBeDefined();
  });

  test.each([
    ['12345678901', 'has 11 digits; an AWS account id has exactly 12'],
    ['1234567890123', 'has 13 digits; an AWS account id has exactly 12'],
    ['12345678901a', "contains 'a'; an AWS account id is exactly 12 digits"],
    ['', 'has 0 digits; an AWS account id has exactly 12'],
  ])('GIVEN the account %j WHEN checked THEN the problem is named', (account, why) => {
    expect(accountProblem(account)).toBe(why);
  });
});
