/**
 * The validators against rules written independently from the services'
 * documentation (test/verify/hostile-values.ts), over seeded random values:
 * every hostile value refused with the error naming it, every valid one at the
 * limits accepted. Pure functions, so CI runs many cases in well under a second.
 */
import * as fc from 'fast-check';
import { validateAnnotationKey, validateAudience, validateClusterArn, validateClusterName, validateIssuerUrl } from '../../../lib/core/validation';
import {
  expectedErrorPrefix, hostileAnnotationKeyArb, hostileAudienceArb, hostileClusterArnArb, hostileClusterNameArb, hostileIssuerUrlArb,
  isAnnotationKey, isAudience, isClusterArn, isClusterName, isIssuerUrl, validClusterNameArb, validIssuerUrlArb,
} from '../../verify/hostile-values';

const SEED = Number(process.env.FUZZ_SEED ?? 20261127);
const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 500);
const params = { seed: SEED, numRuns: NUM_RUNS };

/** The error `validate` raises for `value`, or undefined. */
function errorOf(validate: () => void): string | undefined {
  try {
    validate();
    return undefined;
  } catch (e) {
    expect((e as Error).name).toBe('WorkloadIdentityError');
    return (e as Error).message;
  }
}

describe(`validators against the services' rules (seed ${SEED}, ${NUM_RUNS} runs each)`, () => {
  test('cluster names: hostile ones refused by name, valid ones at the limits accepted', () => {
    fc.assert(fc.property(hostileClusterNameArb, v => errorOf(() => validateClusterName(v))?.startsWith(expectedErrorPrefix.clusterName(v)) === true), params);
    fc.assert(fc.property(validClusterNameArb, v => isClusterName(v) && errorOf(() => validateClusterName(v)) === undefined), params);
  });

  test('cluster ARNs: hostile ones refused by name, valid ones accepted', () => {
    fc.assert(fc.property(hostileClusterArnArb, v => errorOf(() => validateClusterArn(v))?.startsWith(expectedErrorPrefix.clusterArn(v)) === true), params);
    fc.assert(fc.property(validClusterNameArb, name => {
      const arn = `arn:aws:eks:eu-west-1:123456789012:cluster/${name}`;
      return isClusterArn(arn) && errorOf(() => validateClusterArn(arn, name)) === undefined;
    }), params);
  });

  test('issuer URLs: hostile ones refused by name, valid ones up to 255 characters accepted', () => {
    fc.assert(fc.property(hostileIssuerUrlArb, v => errorOf(() => validateIssuerUrl(v))?.startsWith(expectedErrorPrefix.issuerUrl(v)) === true), params);
    fc.assert(fc.property(validIssuerUrlArb, v => isIssuerUrl(v) && errorOf(() => validateIssuerUrl(v)) === undefined), params);
  });

  test('audiences: hostile ones refused by name', () => {
    fc.assert(fc.property(hostileAudienceArb, v => errorOf(() => validateAudience(v))?.startsWith(expectedErrorPrefix.audience(v)) === true), params);
  });

  test('annotation keys: hostile ones refused by name', () => {
    const where = "ServiceAccount 'a/b'";
    fc.assert(fc.property(hostileAnnotationKeyArb, v => errorOf(() => validateAnnotationKey(v, where))?.startsWith(expectedErrorPrefix.annotationKey(v, where)) === true), params);
  });

  test('any string: the validator and the independent rule agree', () => {
    const anyString = fc.oneof(fc.string({ maxLength: 120 }), fc.string({ unit: 'binary', maxLength: 40 }), hostileClusterNameArb, validClusterNameArb);
    fc.assert(fc.property(anyString, v => (errorOf(() => validateClusterName(v)) === undefined) === isClusterName(v)), params);
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), v => (errorOf(() => validateAudience(v)) === undefined) === isAudience(v)), params);
    fc.assert(fc.property(fc.string({ maxLength: 80 }), v => (errorOf(() => validateAnnotationKey(v, 'x')) === undefined) === isAnnotationKey(v)), params);
    fc.assert(fc.property(fc.string({ maxLength: 80 }).map(s => `https://${s}`), v => (errorOf(() => validateIssuerUrl(v)) === undefined) === isIssuerUrl(v)), params);
  });
});
