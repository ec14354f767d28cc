import { Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IdentityMechanism, WorkloadCluster, WorkloadIdentity } from '../../../lib';
import { ACCOUNT, CLUSTER_ARN, eksCluster, ISSUER_KEY, newStack, REGION } from '../../fixtures';
import { awsFindings, open, reportingStack } from '../../guardrails/helpers';

const NAT = { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '198.51.100.7/32'] } };
const ENDPOINT = { StringEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } };
const OTHER_ISSUER_KEY = 'oidc.eks.eu-west-1.amazonaws.com/id/OTHER0000000000000000000000000000';

function trustOf(identity: WorkloadIdentity): any[] {
  const stack = Stack.of(identity);
  return Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(identity.role.node.defaultChild as iam.CfnRole)]
    .Properties.AssumeRolePolicyDocument.Statement;
}

function otherIssuerCluster(stack: Stack) {
  return WorkloadCluster.fromClusterAttributes(stack, 'Lab', {
    clusterName: 'lab', clusterArn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/lab`, oidcIssuerUrl: `https://${OTHER_ISSUER_KEY}`,
  });
}

describe('irsa.additionalTrustConditions', () => {
  test('join every web-identity statement (one per issuer, subjects packed), and only those', () => {
    // GIVEN
    const stack = newStack();
    const cluster = eksCluster(stack);

    // WHEN two ServiceAccounts on one issuer, one on another, and the first also by Pod Identity
    const identity = new WorkloadIdentity(stack, 'Payments', {
      cluster, namespace: 'payments', serviceAccountName: 'api', mechanism: IdentityMechanism.BOTH,
      irsa: { additionalTrustConditions: { ...NAT, ...ENDPOINT } },
    });
    identity.addSubject({ cluster, namespace: 'payments', serviceAccountName: 'worker', mechanism: IdentityMechanism.IRSA });
    identity.addSubject({ cluster: otherIssuerCluster(stack), namespace: 'payments', serviceAccountName: 'api', mechanism: IdentityMechanism.IRSA });

    // THEN
    const statements = trustOf(identity);
    const webIdentity = statements.filter(s => s.Action === 'sts:AssumeRoleWithWebIdentity');
    expect(webIdentity.map(s => s.Condition)).toEqual([
      {
        StringEquals: {
          [`${ISSUER_KEY}:sub`]: ['system:serviceaccount:payments:api', 'system:serviceaccount:payments:worker'],
          [`${ISSUER_KEY}:aud`]: 'sts.amazonaws.com',
          'aws:SourceVpce': 'vpce-0123456789abcdef0',
        },
        IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '198.51.100.7/32'] },
      },
      {
        StringEquals: {
          [`${OTHER_ISSUER_KEY}:sub`]: 'system:serviceaccount:payments:api',
          [`${OTHER_ISSUER_KEY}:aud`]: 'sts.amazonaws.com',
          'aws:SourceVpce': 'vpce-0123456789abcdef0',
        },
        IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '198.51.100.7/32'] },
      },
    ]);
    // the Pod Identity statement carries none of them
    const podIdentity = statements.filter(s => s.Principal.Service === 'pods.eks.amazonaws.com');
    expect(podIdentity.map(s => s.Condition)).toEqual([{
      StringEquals: {
        'aws:SourceAccount': ACCOUNT,
        'aws:RequestTag/eks-cluster-arn': CLUSTER_ARN,
        'aws:RequestTag/kubernetes-namespace': 'payments',
        'aws:RequestTag/kubernetes-service-account': 'api',
      },
    }]);
  });

  test('the library\'s own keys under another operator narrow, and are accepted', () => {
    const stack = newStack();
    const identity = new WorkloadIdentity(stack, 'Payments', {
      cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'api', mechanism: IdentityMechanism.IRSA,
      irsa: { additionalTrustConditions: { StringNotEquals: { [`${ISSUER_KEY}:sub`]: 'system:serviceaccount:payments:debug' } } },
    });
    expect(trustOf(identity)[0].Condition.StringNotEquals).toEqual({ [`${ISSUER_KEY}:sub`]: 'system:serviceaccount:payments:debug' });
  });

  test('a token issuer: the StringEquals additions go into the CfnJson with the library\'s keys, the rest beside it', () => {
    // GIVEN a cluster whose issuer is known only at deploy
    const stack = newStack();
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Imported', {
      clusterName: 'campus', clusterArn: CLUSTER_ARN, oidcIssuerUrl: Fn.importValue('CampusIssuer'),
    });

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Payments', {
      cluster, namespace: 'payments', serviceAccountName: 'api', mechanism: IdentityMechanism.IRSA,
      irsa: { additionalTrustConditions: { ...NAT, ...ENDPOINT } },
    });

    // THEN
    const template = Template.fromStack(stack);
    const cfnJsonId = Object.keys(template.findResources('Custom::AWSCDKCfnJson'))[0];
    expect(trustOf(identity)[0].Condition).toEqual({
      StringEquals: { 'Fn::GetAtt': [cfnJsonId, 'Value'] },
      IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '198.51.100.7/32'] },
    });
    template.hasResourceProperties('Custom::AWSCDKCfnJson', {
      Value: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':aud":"sts.amazonaws.com","aws:SourceVpce":"vpce-0123456789abcdef0"}$')])] },
    });
  });

  test.each([
    ['its :sub', { StringEquals: { [`${ISSUER_KEY}:sub`]: 'system:serviceaccount:payments:other' } }, `'${ISSUER_KEY}:sub'`],
    ['its :aud, in another case', { StringEquals: { [`${ISSUER_KEY.toUpperCase()}:AUD`]: 'other' } }, `'${ISSUER_KEY.toUpperCase()}:AUD'`],
  ])('a key the library sets is refused: %s', (_, additionalTrustConditions, shown) => {
    const stack = newStack();
    expect(() => new WorkloadIdentity(stack, 'Payments', {
      cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'api', mechanism: IdentityMechanism.IRSA,
      irsa: { additionalTrustConditions },
    })).toThrow(`irsa.additionalTrustConditions StringEquals ${shown} replaces a condition the library sets to admit exactly the declared subjects. ` +
      'Add conditions on other keys (e.g. aws:SourceIp, aws:SourceVpce), or use another operator to narrow it.');
  });

  test('with a token issuer, any issuer\'s :sub is refused: it may turn out to be the library\'s', () => {
    const stack = newStack();
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Imported', {
      clusterName: 'campus', clusterArn: CLUSTER_ARN, oidcIssuerUrl: Fn.importValue('CampusIssuer'),
    });
    expect(() => new WorkloadIdentity(stack, 'Payments', {
      cluster, namespace: 'payments', serviceAccountName: 'api', mechanism: IdentityMechanism.IRSA,
      irsa: { additionalTrustConditions: { StringEquals: { [`${ISSUER_KEY}:sub`]: 'system:serviceaccount:payments:other' } } },
    })).toThrow(`irsa.additionalTrustConditions StringEquals '${ISSUER_KEY}:sub' replaces a condition the library sets`);
  });

  test.each(['aws:SourceOrgID', 'aws:SourceAccount', 'aws:SourceArn', 'aws:PrincipalOrgID'])('%s, which web-identity requests never carry, is refused', key => {
    const stack = newStack();
    expect(() => new WorkloadIdentity(stack, 'Payments', {
      cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'api', mechanism: IdentityMechanism.IRSA,
      irsa: { additionalTrustConditions: { StringEquals: { [key]: 'x' } } },
    })).toThrow(`irsa.additionalTrustConditions StringEquals '${key}' can never match: AssumeRoleWithWebIdentity requests come from no AWS principal ` +
      'and no AWS service, so they never carry it, and the condition would deny every pod. Use keys these requests carry (e.g. aws:SourceIp, aws:SourceVpce).');
  });

  test('an operator without keys is refused, even before any IRSA subject', () => {
    const stack = newStack();
    expect(() => new WorkloadIdentity(stack, 'Payments', {
      cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'api',
      irsa: { additionalTrustConditions: { IpAddress: '203.0.113.0/24' } },
    })).toThrow("Invalid irsa.additionalTrustConditions 'IpAddress': it must map condition keys to values, e.g. { StringEquals: { 'aws:SourceIp': ... } }.");
  });

  test('an existing role: the warning lists them with the trust it must have', () => {
    // GIVEN
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'Existing', `arn:aws:iam::${ACCOUNT}:role/existing`);

    // WHEN
    new WorkloadIdentity(stack, 'Payments', {
      cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'api', role, mechanism: IdentityMechanism.BOTH,
      irsa: { additionalTrustConditions: NAT },
      podIdentity: { additionalTrustConditions: { StringEquals: { 'aws:SourceOrgID': 'o-a1b2c3d4e5' } } },
    });

    // THEN
    Annotations.fromStack(stack).hasWarning('/Test/Payments', 'The existing role is used as is: its trust policy must allow sts:AssumeRoleWithWebIdentity ' +
      `from the cluster's OIDC provider with StringEquals ${ISSUER_KEY}:sub = system:serviceaccount:payments:api and ${ISSUER_KEY}:aud = sts.amazonaws.com ` +
      'and IpAddress aws:SourceIp = 203.0.113.0/24 or 198.51.100.7/32; and sts:AssumeRole and sts:TagSession from pods.eks.amazonaws.com with StringEquals ' +
      "aws:RequestTag/kubernetes-namespace = payments, aws:RequestTag/kubernetes-service-account = api and aws:RequestTag/eks-cluster-arn = the cluster's ARN " +
      'and StringEquals aws:SourceOrgID = o-a1b2c3d4e5. Without it the pods of that ServiceAccount get no credentials. [ack: cdk-eks-workload-identity:existing-role-trust]');
  });

  test('WI-AWS-8 counts them: subjects that fit without them overflow with them', () => {
    const build = (conditions?: { [operator: string]: any }) => {
      const stack = reportingStack();
      const cluster = eksCluster(stack);
      const identity = new WorkloadIdentity(stack, 'Batch', {
        cluster, namespace: 'batch', serviceAccountName: 'job-0', mechanism: IdentityMechanism.IRSA, irsa: { additionalTrustConditions: conditions },
      });
      for (let i = 1; i < 40; i++) { identity.addSubject({ cluster, namespace: 'batch', serviceAccountName: `job-${i}` }); }
      return open(awsFindings(stack), 'WI-AWS-8');
    };
    expect(build()).toEqual([]);
    const cidrs = Array.from({ length: 30 }, (_, i) => `203.0.${i}.0/24`);
    expect(build({ IpAddress: { 'aws:SourceIp': cidrs } })).toEqual([expect.stringMatching(/^WI-AWS-8 Role 'Test\/Batch' has a trust policy of \d+ characters/)]);
  });
});
