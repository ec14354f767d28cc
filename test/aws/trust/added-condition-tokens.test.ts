import { Lazy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IdentityMechanism, WorkloadIdentity } from '../../../lib';
import { eksCluster, ISSUER_KEY, newStack } from '../../fixtures';

const LITERAL_FIX = 'Write operators, condition keys and the map under each operator literally';

function trustOf(identity: WorkloadIdentity): any[] {
  const stack = Stack.of(identity);
  return Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(identity.role.node.defaultChild as iam.CfnRole)]
    .Properties.AssumeRolePolicyDocument.Statement;
}

function identityWith(stack: Stack, mechanism: IdentityMechanism, more: object): WorkloadIdentity {
  return new WorkloadIdentity(stack, 'Payments', { cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'api', mechanism, ...more });
}

describe('tokens in additionalTrustConditions (issue 18 §1)', () => {
  test('a Lazy key that would resolve to the issuer\'s :sub is refused before it can replace the library\'s subjects', () => {
    // GIVEN a key known only when the template is written
    const stack = newStack();
    const key = Lazy.string({ produce: () => `${ISSUER_KEY}:sub` });

    // WHEN / THEN
    expect(() => identityWith(stack, IdentityMechanism.IRSA, {
      irsa: { additionalTrustConditions: { StringEquals: { [key]: 'system:serviceaccount:payments:*' } } },
    })).toThrow(`Invalid irsa.additionalTrustConditions StringEquals key '${key}': it is a token (Lazy, a reference or a parameter), known only when the ` +
      'template is written, so the library cannot check it does not replace a condition it sets to admit exactly the declared subjects. ' +
      `${LITERAL_FIX} (e.g. { StringEquals: { 'aws:SourceIp': value } }); only the values may be tokens.`);
  });

  test('a Lazy operator that would resolve to StringEquals is refused on the Pod Identity side', () => {
    const stack = newStack();
    const operator = Lazy.string({ produce: () => 'StringEquals' });
    expect(() => identityWith(stack, IdentityMechanism.POD_IDENTITY, {
      podIdentity: { additionalTrustConditions: { [operator]: { 'aws:SourceAccount': '123456789012' } } },
    })).toThrow(`Invalid podIdentity.additionalTrustConditions operator '${operator}': it is a token`);
  });

  test('a token as the map under an operator is refused, not written as its internals', () => {
    const stack = newStack();
    expect(() => identityWith(stack, IdentityMechanism.IRSA, {
      irsa: { additionalTrustConditions: { IpAddress: Lazy.any({ produce: () => ({ 'aws:SourceIp': '203.0.113.0/24' }) }) } },
    })).toThrow("Invalid irsa.additionalTrustConditions 'IpAddress': it is a token");
  });

  test('the whole option as a token is refused', () => {
    const stack = newStack();
    expect(() => identityWith(stack, IdentityMechanism.POD_IDENTITY, {
      podIdentity: { additionalTrustConditions: Lazy.any({ produce: () => ({ StringEquals: { 'aws:SourceOrgID': 'o-a1b2c3d4e5' } }) }) },
    })).toThrow('Invalid podIdentity.additionalTrustConditions: it is a token');
  });

  test('a token value under a literal key is accepted and written resolved', () => {
    // GIVEN / WHEN the VPC endpoint id known only at synth
    const stack = newStack();
    const identity = identityWith(stack, IdentityMechanism.IRSA, {
      irsa: { additionalTrustConditions: { StringEquals: { 'aws:SourceVpce': Lazy.string({ produce: () => 'vpce-0123456789abcdef0' }) } } },
    });

    // THEN the library's subject stays, the value is resolved
    expect(trustOf(identity)[0].Condition.StringEquals).toEqual({
      [`${ISSUER_KEY}:sub`]: 'system:serviceaccount:payments:api',
      [`${ISSUER_KEY}:aud`]: 'sts.amazonaws.com',
      'aws:SourceVpce': 'vpce-0123456789abcdef0',
    });
  });

  test('the library\'s operator spelt another way is refused: it would stand beside StringEquals', () => {
    const stack = newStack();
    expect(() => identityWith(stack, IdentityMechanism.IRSA, {
      irsa: { additionalTrustConditions: { stringEquals: { [`${ISSUER_KEY}:sub`]: 'system:serviceaccount:kube-system:admin' } } },
    })).toThrow("Invalid irsa.additionalTrustConditions operator 'stringEquals': it spells the library's own StringEquals another way, " +
      "which IAM reads as the same operator or refuses. Write StringEquals (the library's keys under it are refused; add other keys), or another operator.");
  });
});

describe('podIdentity.additionalTrustConditions on keys its requests never carry (issue 18 §3)', () => {
  test.each([
    'aws:PrincipalArn', 'aws:PrincipalAccount', 'aws:PrincipalOrgID', 'aws:PrincipalTag/team', 'aws:SourceVpce', 'aws:SourceVpc', 'aws:VpcSourceIp',
    `${ISSUER_KEY}:sub`,
  ])('%s is refused, as the IRSA side refuses its own', key => {
    const stack = newStack();
    expect(() => identityWith(stack, IdentityMechanism.POD_IDENTITY, {
      podIdentity: { additionalTrustConditions: { StringEquals: { [key]: 'x' } } },
    })).toThrow(`podIdentity.additionalTrustConditions StringEquals '${key}' can never match: EKS Pod Identity requests come from the service principal ` +
      'pods.eks.amazonaws.com, through no VPC endpoint of yours and with no OIDC token, so they never carry it, and the condition would deny every pod. ' +
      'Use keys these requests carry (e.g. aws:SourceOrgID, aws:SourceArn).');
  });

  test('the keys EKS sends are accepted', () => {
    const stack = newStack();
    const identity = identityWith(stack, IdentityMechanism.POD_IDENTITY, {
      podIdentity: { additionalTrustConditions: { StringEquals: { 'aws:SourceOrgID': 'o-a1b2c3d4e5' }, ArnLike: { 'aws:SourceArn': 'arn:aws:eks:*:123456789012:cluster/*' } } },
    });
    expect(trustOf(identity)[0].Condition.ArnLike).toEqual({ 'aws:SourceArn': 'arn:aws:eks:*:123456789012:cluster/*' });
  });

  test('a request tag with session tags off is refused: EKS sends none', () => {
    const stack = newStack();
    expect(() => identityWith(stack, IdentityMechanism.POD_IDENTITY, {
      podIdentity: {
        sessionTags: false, restrictTrustToSubjects: false,
        additionalTrustConditions: { StringEquals: { 'aws:RequestTag/kubernetes-namespace': 'payments' } },
      },
    })).toThrow("podIdentity.additionalTrustConditions StringEquals 'aws:RequestTag/kubernetes-namespace' can never match: podIdentity.sessionTags is false, " +
      'so EKS sends no session tags and the condition would deny every pod. Keep session tags on, or use keys these requests carry (e.g. aws:SourceOrgID, aws:SourceArn).');
  });
});
