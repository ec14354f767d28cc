import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IdentityMechanism, KubernetesGuardrails, WorkloadIdentity, WorkloadIdentityGuardrails, WorkloadRuntime } from '../../lib';
import { ACCOUNT, eksCluster, ISSUER_KEY, REGION } from '../fixtures';
import { synthError } from './helpers';

test('a deliberately bad app fails synth naming every problem', () => {
  // GIVEN the AWS side: a static key user, a wildcard IRSA subject, Pod Identity
  // on a Fargate workload, an over-long trust policy
  const awsApp = new App();
  const stack = new Stack(awsApp, 'Bad', { env: { account: ACCOUNT, region: REGION } });
  const cluster = eksCluster(stack);
  const user = new iam.User(stack, 'Ci');
  user.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
  new iam.AccessKey(stack, 'CiKey', { user });
  new iam.Role(stack, 'Wildcard', {
    assumedBy: new iam.WebIdentityPrincipal(`arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER_KEY}`, {
      StringLike: { [`${ISSUER_KEY}:sub`]: 'system:serviceaccount:*:*' },
      StringEquals: { [`${ISSUER_KEY}:aud`]: 'sts.amazonaws.com' },
    }),
  });
  const batch = new WorkloadIdentity(stack, 'Batch', { cluster, namespace: 'batch', serviceAccountName: 'job' });
  WorkloadIdentityGuardrails.markRuntime(batch, WorkloadRuntime.FARGATE);
  const crowd = new WorkloadIdentity(stack, 'Crowd', { cluster, namespace: 'crowd', serviceAccountName: 'worker-0', mechanism: IdentityMechanism.IRSA });
  for (let i = 1; i < 60; i++) { crowd.addSubject({ cluster, namespace: 'crowd', serviceAccountName: `worker-${i}` }); }

  // AND the Kubernetes side: a Secret with AWS_ACCESS_KEY_ID, a pod on default
  const k8sApp = cdk8s.Testing.app();
  const chart = new cdk8s.Chart(k8sApp, 'bad', { namespace: 'legacy' });
  KubernetesGuardrails.of(chart);
  new kplus.Secret(chart, 'creds', { metadata: { name: 'creds' }, stringData: { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE' } });
  new kplus.Deployment(chart, 'legacy', { metadata: { name: 'legacy' }, containers: [{ image: 'legacy:1' }] });

  // THEN both syntheses fail, naming each problem
  const aws = synthError(() => awsApp.synth());
  expect(aws).toContain("WI-AWS-1: Access key 'Bad/CiKey' creates a static credential.");
  expect(aws).toContain("WI-AWS-2: IAM user 'Bad/Ci' has permissions (policy 'Bad/Ci/DefaultPolicy') in an app that declares workload identities.");
  expect(aws).toContain("WI-AWS-4: Role 'Bad/Wildcard' trusts the wildcard subject 'system:serviceaccount:*:*', which no one declared as a pattern.");
  expect(aws).toContain("WI-AWS-12: Pod identity association 'Bad/Batch/PodIdentityAssociation' targets a workload marked FARGATE");
  expect(aws).toMatch(/WI-AWS-8: Role 'Bad\/Crowd' has a trust policy of \d+ characters \(rendered, without whitespace\); the quota is 2048\./);

  const k8s = synthError(() => k8sApp.synth());
  expect(k8s).toContain("WI-K8S-2: Secret 'legacy/creds' carries the key AWS_ACCESS_KEY_ID.");
  expect(k8s).toContain("WI-K8S-3: Deployment 'legacy/legacy' runs as ServiceAccount 'default'.");
});
