import { IdentityMechanism } from '../../../lib';
import { ACCOUNT, ISSUER_KEY } from '../../fixtures';
import { Declaration, describeDeclaration, DIRECTIONS, ROLE_ARN, synthPhase } from './phase-app';
import { ReviewerDiff, reviewerDiff } from './reviewer-diff';

// The statements as `cdk diff` lists them in its IAM table.
const WEB_IDENTITY_TRUST = 'Allow sts:AssumeRoleWithWebIdentity Federated:${ClusterOidcProvider45D293DD} ' + JSON.stringify({
  StringEquals: { [`${ISSUER_KEY}:sub`]: 'system:serviceaccount:notifications:notifier', [`${ISSUER_KEY}:aud`]: 'sts.amazonaws.com' },
});
const POD_IDENTITY_TRUST = 'Allow sts:AssumeRole,sts:TagSession Service:pods.eks.amazonaws.com ' + JSON.stringify({
  StringEquals: {
    'aws:SourceAccount': ACCOUNT,
    'aws:RequestTag/eks-cluster-arn': `arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/campus`,
    'aws:RequestTag/kubernetes-namespace': 'notifications',
    'aws:RequestTag/kubernetes-service-account': 'notifier',
  },
});
const ROLE = 'NotifierE2836A75';
const TRUST_CHANGE = { [ROLE]: '~ AWS::IAM::Role AssumeRolePolicyDocument' };
const ASSOCIATION = 'NotifierPodIdentityAssociation4A2861FC';
const MIGRATION = 'cdk-eks-workload-identity/migration';
const ROLE_ARN_KEY = 'eks.amazonaws.com/role-arn';

/** What a reviewer must see going forward, one step at a time (from the plain mechanism to the plain target). */
const FORWARD: { [to: string]: ReviewerDiff[] } = {
  [IdentityMechanism.POD_IDENTITY]: [
    // PREPARED: the Pod Identity statement (the agent is the owning stack's already); the ServiceAccount keeps role-arn, pods stay on IRSA.
    { resources: { ...TRUST_CHANGE }, iam: [`+ ${POD_IDENTITY_TRUST}`], serviceAccount: [`+ ${MIGRATION}=irsa-to-pod-identity/prepared`] },
    // SWITCHED: one association more, the role unchanged.
    { resources: { [ASSOCIATION]: '+ AWS::EKS::PodIdentityAssociation' }, iam: [], serviceAccount: [`~ ${MIGRATION}=irsa-to-pod-identity/prepared->irsa-to-pod-identity/switched`] },
    // FINISHED: the web-identity statement and role-arn go; the provider stays, owned by the stack (createOpenIdConnectProvider).
    {
      resources: { ...TRUST_CHANGE }, iam: [`- ${WEB_IDENTITY_TRUST}`],
      serviceAccount: [`~ ${MIGRATION}=irsa-to-pod-identity/switched->irsa-to-pod-identity/finished`, `- ${ROLE_ARN_KEY}=${ROLE_ARN}`],
    },
    // Dropping the option: nothing in AWS.
    { resources: {}, iam: [], serviceAccount: [`- ${MIGRATION}=irsa-to-pod-identity/finished`] },
  ],
  [IdentityMechanism.IRSA]: [
    // PREPARED: the web-identity statement and role-arn (the provider is the owning stack's already); the association stays, pods stay on Pod Identity.
    {
      resources: { ...TRUST_CHANGE }, iam: [`+ ${WEB_IDENTITY_TRUST}`],
      serviceAccount: [`+ ${MIGRATION}=pod-identity-to-irsa/prepared`, `+ ${ROLE_ARN_KEY}=${ROLE_ARN}`],
    },
    // SWITCHED: the association goes, the role unchanged.
    { resources: { [ASSOCIATION]: '- AWS::EKS::PodIdentityAssociation' }, iam: [], serviceAccount: [`~ ${MIGRATION}=pod-identity-to-irsa/prepared->pod-identity-to-irsa/switched`] },
    // FINISHED: the Pod Identity statement goes; the agent stays, owned by the stack (installPodIdentityAgent).
    {
      resources: { ...TRUST_CHANGE }, iam: [`- ${POD_IDENTITY_TRUST}`],
      serviceAccount: [`~ ${MIGRATION}=pod-identity-to-irsa/switched->pod-identity-to-irsa/finished`],
    },
    { resources: {}, iam: [], serviceAccount: [`- ${MIGRATION}=pod-identity-to-irsa/finished`] },
  ],
};

/** Going back one step shows the same changes the other way round. */
function reversed(diff: ReviewerDiff): ReviewerDiff {
  const flip = (s: string) => s.startsWith('+ ') ? `- ${s.slice(2)}` : s.startsWith('- ') ? `+ ${s.slice(2)}` : s;
  return {
    resources: Object.fromEntries(Object.entries(diff.resources).map(([id, change]) => [id, change.startsWith('~ ') ? change : flip(change)])),
    iam: diff.iam.map(flip).sort(),
    serviceAccount: diff.serviceAccount.map(s => {
      if (!s.startsWith('~ ')) { return flip(s); }
      const [key, values] = s.slice(2).split('=');
      const [before, after] = values.split('->');
      return `~ ${key}=${after}->${before}`;
    }),
  };
}

const cache = new Map<string, any>();
function synthesized(d: Declaration) {
  const key = JSON.stringify(d);
  if (!cache.has(key)) { cache.set(key, synthPhase(d)); }
  return cache.get(key);
}

function normalized(diff: ReviewerDiff): ReviewerDiff {
  return { resources: diff.resources, iam: [...diff.iam].sort(), serviceAccount: [...diff.serviceAccount].sort() };
}

describe.each(DIRECTIONS)('$name, one phase at a time', ({ to, steps }) => {
  const pairs = steps.slice(1).map((after, i) => ({ before: steps[i], after, expected: FORWARD[to][i] }));

  test.each(pairs.map(p => [describeDeclaration(p.before), describeDeclaration(p.after), p]))(
    'GIVEN %s WHEN the app declares %s THEN cdk diff shows exactly the step\'s changes', (_b, _a, { before, after, expected }) => {
      expect(normalized(reviewerDiff(synthesized(before), synthesized(after)))).toEqual(normalized(expected));
    });

  test.each(pairs.map(p => [describeDeclaration(p.after), describeDeclaration(p.before), p]))(
    'GIVEN %s WHEN the app declares %s again (the way back) THEN cdk diff shows the step undone', (_a, _b, { before, after, expected }) => {
      expect(normalized(reviewerDiff(synthesized(after), synthesized(before)))).toEqual(normalized(reversed(expected)));
    });
});
