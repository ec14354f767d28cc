import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IdentityMechanism, IWorkloadCluster, WorkloadIdentity, WorkloadIdentityErrors, WorkloadStacks } from '../../../lib';
import { ACCOUNT, REGION, eksCluster } from '../../fixtures';
import { awsFindings, open } from '../../guardrails/helpers';

const ENV = { account: ACCOUNT, region: REGION };

/** An app with a platform stack that owns the cluster handle, as the helper's docs advise. */
function platform(): { app: App; home: Stack; cluster: IWorkloadCluster } {
  const app = new App();
  const home = new Stack(app, 'Platform', { env: ENV });
  return { app, home, cluster: eksCluster(home) };
}

/** One workload: a Pod Identity role, its association and (with a grant) its policy. */
function addWorkload(scope: Construct, cluster: IWorkloadCluster, i: number, options: { grant?: boolean; mechanism?: IdentityMechanism } = {}): WorkloadIdentity {
  const identity = new WorkloadIdentity(scope, `Workload${i}`, {
    cluster, namespace: 'team', serviceAccountName: `workload-${i}`, mechanism: options.mechanism ?? IdentityMechanism.POD_IDENTITY,
  });
  if (options.grant ?? true) {
    identity.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:aws:s3:::data-${i}/*`] }));
  }
  return identity;
}

function resourcesIn(stack: Stack): number {
  return Object.keys(Template.fromStack(stack).toJSON().Resources ?? {}).length;
}

describe('WorkloadStacks', () => {
  test('fills a stack up to maxResourcesPerStack, counting what each workload declared, then starts the next', () => {
    // GIVEN: 3 resources per workload (role, policy, association), room for 10
    const { app, cluster } = platform();
    const stacks = new WorkloadStacks(app, 'Workloads', { maxResourcesPerStack: 10, stackProps: { env: ENV } });

    // WHEN
    const placed = Array.from({ length: 7 }, (_, i) => Stack.of(addWorkload(stacks.stackWithRoom(), cluster, i)));

    // THEN: 3 + 3 + 1 workloads, 9 resources at most per stack
    expect(stacks.stacks).toHaveLength(3);
    expect(placed.map(s => stacks.stacks.indexOf(s))).toEqual([0, 0, 0, 1, 1, 1, 2]);
    expect(stacks.stacks.map(resourcesIn)).toEqual([9, 9, 3]);
    expect(stacks.stacks.map(s => s.node.path)).toEqual(['Workloads/Stack1', 'Workloads/Stack2', 'Workloads/Stack3']);
  });

  test('a larger workload later moves on before the stack overflows', () => {
    // GIVEN: room for 6; workloads of 2 resources (no grant), then one of 3
    const { app, cluster } = platform();
    const stacks = new WorkloadStacks(app, 'Workloads', { maxResourcesPerStack: 6, stackProps: { env: ENV } });

    // WHEN
    addWorkload(stacks.stackWithRoom(), cluster, 0, { grant: false });
    addWorkload(stacks.stackWithRoom(), cluster, 1, { grant: true });
    addWorkload(stacks.stackWithRoom(), cluster, 2, { grant: true });

    // THEN: 2 + 3 = 5 fit; a third workload as large as the largest (3) would make 8
    expect(stacks.stacks.map(resourcesIn)).toEqual([5, 3]);
  });

  test('counts workloads declared under a construct that already existed in the stack', () => {
    // GIVEN: each stack gets a team construct, and the workloads go under it
    const { app, cluster } = platform();
    const stacks = new WorkloadStacks(app, 'Workloads', { maxResourcesPerStack: 9, stackProps: { env: ENV } });
    const teamOf = (stack: Stack) => (stack.node.tryFindChild('Team') as Construct | undefined) ?? new Construct(stack, 'Team');

    // WHEN
    for (let i = 0; i < 5; i++) { addWorkload(teamOf(stacks.stackWithRoom()), cluster, i); }

    // THEN
    expect(stacks.stacks.map(resourcesIn)).toEqual([9, 6]);
  });

  test('the cluster-wide pieces stay in the stack of the cluster handle, referenced from every workload stack', () => {
    // GIVEN: one Pod Identity and one IRSA cluster in the platform stack
    const { app, home, cluster } = platform();
    const irsaCluster = eksCluster(home, 'IrsaCluster', 'irsa', { createOpenIdConnectProvider: true, installPodIdentityAgent: false });
    const stacks = new WorkloadStacks(app, 'Workloads', { maxResourcesPerStack: 9, stackProps: { env: ENV } });

    // WHEN: 12 workloads on each, over several stacks
    for (let i = 0; i < 12; i++) {
      addWorkload(stacks.stackWithRoom(), cluster, i);
      addWorkload(stacks.stackWithRoom(), irsaCluster, 100 + i, { mechanism: IdentityMechanism.IRSA });
    }

    // THEN: one agent add-on and one OIDC provider, both in the platform stack
    expect(stacks.stacks.length).toBeGreaterThan(3);
    const platformTemplate = Template.fromStack(home);
    platformTemplate.resourceCountIs('AWS::EKS::Addon', 1);
    platformTemplate.hasResourceProperties('AWS::EKS::Addon', { ClusterName: 'campus', AddonName: 'eks-pod-identity-agent' });
    platformTemplate.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    let federated = 0;
    for (const stack of stacks.stacks) {
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::EKS::Addon', 0);
      template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
      // every IRSA role trusts the platform stack's provider, imported
      for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
        for (const statement of role.Properties.AssumeRolePolicyDocument.Statement) {
          if (statement.Principal.Federated) {
            federated++;
            expect(statement.Principal.Federated).toEqual({ 'Fn::ImportValue': expect.stringMatching(/^Platform:ExportsOutputRefIrsaClusterOidcProvider/) });
          }
        }
      }
    }
    expect(federated).toBe(12);
  });

  test('the association quota per cluster counts every stack handed out, and the error says what to do', () => {
    // GIVEN: 5 Pod Identity workloads on one cluster, over two stacks, with a quota of 4
    const { app, cluster } = platform();
    const stacks = new WorkloadStacks(app, 'Workloads', { maxResourcesPerStack: 9, stackProps: { env: ENV } });
    for (let i = 0; i < 5; i++) { addWorkload(stacks.stackWithRoom(), cluster, i); }

    // WHEN
    const findings = awsFindings(app, { maxPodIdentityAssociationsPerCluster: 4 });

    // THEN
    expect(stacks.stacks).toHaveLength(2);
    expect(open(findings, 'WI-AWS-9')).toEqual([
      "WI-AWS-9 Cluster 'campus' has 5 pod identity associations in this app; the EKS quota is 4 per cluster.",
    ]);
  });

  test('resources added to earlier workloads after the next hand-out are reported with what to do', () => {
    // GIVEN: a stack handed out, then 501 resources added to it later
    const app = new App();
    const stacks = new WorkloadStacks(app, 'Workloads');
    const stack = stacks.stackWithRoom();

    // WHEN
    const late = new Construct(stack, 'Late');
    for (let i = 0; i < 501; i++) { new CfnResource(late, `Topic${i}`, { type: 'AWS::SNS::Topic' }); }

    // THEN
    expect(() => app.synth()).toThrow("Stack 'Workloads/Stack1' holds 501 resources; CloudFormation accepts 500 per stack. " +
      'WorkloadStacks placed its workloads within 400, so resources were added to them after it handed out the next stack ' +
      "(for example grants made in a later loop). Declare each workload's grants before the next stackWithRoom() call, or lower maxResourcesPerStack.");
  });

  test('stackProps apply to every stack', () => {
    // GIVEN
    const app = new App();
    const stacks = new WorkloadStacks(app, 'Workloads', { maxResourcesPerStack: 1, stackProps: { env: ENV, terminationProtection: true } });

    // WHEN
    for (let i = 0; i < 2; i++) { new CfnResource(stacks.stackWithRoom(), 'Topic', { type: 'AWS::SNS::Topic' }); }

    // THEN
    expect(stacks.stacks.map(s => [s.account, s.region, s.terminationProtection])).toEqual([[ACCOUNT, REGION, true], [ACCOUNT, REGION, true]]);
  });

  test.each([0, 501, 1.5])('maxResourcesPerStack %s is an error', max => {
    expect(() => new WorkloadStacks(new App(), 'Workloads', { maxResourcesPerStack: max }))
      .toThrow(`WorkloadStacks 'Workloads' has maxResourcesPerStack ${max}: it must be a whole number from 1 to 500 (CloudFormation's quota per stack).`);
  });

  test('a stackName for every stack is an error', () => {
    expect(() => new WorkloadStacks(new App(), 'Workloads', { stackProps: { stackName: 'workloads' } }))
      .toThrow("WorkloadStacks 'Workloads' has stackProps.stackName 'workloads', which every stack would share. " +
        'Leave it out: each stack is named from its construct path; choose the id of WorkloadStacks to choose the names.');
  });

  test('inside a stack is an error, carrying the construct path', () => {
    const stack = new Stack(new App(), 'Platform');
    expect(() => new WorkloadStacks(stack, 'Workloads'))
      .toThrow("WorkloadStacks 'Platform/Workloads' is inside stack 'Platform', but it creates stacks. Create it in the App (or a Stage).");
    try {
      new WorkloadStacks(stack, 'Again');
    } catch (e) {
      expect(WorkloadIdentityErrors.constructPathOf(e)).toBe('Platform/Again');
    }
    expect.assertions(2);
  });
});
