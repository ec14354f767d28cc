import { App, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ClusterKind, WorkloadCluster, WorkloadIdentityGuardrails } from '../../../lib';
import { appStackTemplates, scanApp } from '../../../lib/aws/guardrails/app-stacks';
import { ACCOUNT, REGION } from '../../fixtures';

describe('appStackTemplates', () => {
  test('lists the stacks aws-cdk-lib hands a plugin registered on the app, read off the construct tree', () => {
    // GIVEN stacks in the app, under a construct, in a Stage and a nested Stage, with and without an environment, and a NestedStack
    const app = new App();
    const role = (scope: Construct) => new iam.Role(scope, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    const plain = new Stack(app, 'Plain');
    role(plain);
    role(new NestedStack(plain, 'Nested'));
    role(new Stack(new Construct(app, 'Group'), 'Grouped', { env: { account: ACCOUNT, region: REGION } }));
    role(new Stack(app, 'RegionOnly', { env: { region: REGION } }));
    const prod = new Stage(app, 'Prod', { env: { account: '111111111111', region: 'us-east-1' } });
    role(new Stack(prod, 'Workloads'));
    role(new Stack(new Stage(prod, 'Inner'), 'Deep'));
    // WHEN
    const assembly = app.synth();
    const listed = appStackTemplates(app.node.findAll());
    // THEN the same stacks, templates and environments as the assembly's
    const known = (v: string) => v.startsWith('unknown-') ? undefined : v;
    const expected = assembly.stacksRecursively.map(s => ({
      stackConstructPath: s.hierarchicalId, templatePath: s.templateFullPath, accountId: known(s.environment.account), region: known(s.environment.region),
    }));
    expect(listed).toEqual(expected);
    expect(listed.map(s => s.stackConstructPath)).toEqual(['Group/Grouped', 'Plain', 'RegionOnly', 'Prod/Workloads', 'Prod/Inner/Deep']);
  });

  test('in the assembly\'s order: stacks after those they depend on, then by artifact id; nested assemblies breadth first', () => {
    const app = new App();
    const platform = new Stack(app, 'Platform');
    for (let i = 1; i <= 11; i++) { new Stack(app, `Workloads${i}`).addStackDependency(platform); }
    new Stack(app, 'Alone');
    const empty = new Stage(app, 'Outer');
    new Stack(new Stage(empty, 'Inner'), 'Deep');
    new Stack(new Stage(app, 'Beta'), 'Shallow');
    const assembly = app.synth();
    expect(appStackTemplates(app.node.findAll()).map(s => s.stackConstructPath)).toEqual(assembly.stacksRecursively.map(s => s.hierarchicalId));
  });
});

describe('scanApp', () => {
  afterEach(() => jest.restoreAllMocks());

  test('GIVEN an app WHEN the default guardrails evaluate it THEN each construct is sorted once: only stacks are asked whether they are NestedStacks', () => {
    // GIVEN an app with a cluster handle, roles, a NestedStack and a Stage, synthesized
    const app = new App();
    const stack = new Stack(app, 'Plain', { env: { account: ACCOUNT, region: REGION } });
    WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'edge', kind: ClusterKind.NOT_EKS, oidcIssuerUrl: 'https://oidc.edge.example.com' });
    for (let i = 0; i < 3; i++) { new iam.Role(stack, `Role${i}`, { assumedBy: new iam.AccountRootPrincipal() }); }
    new iam.Role(new NestedStack(stack, 'Nested'), 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    new Stack(new Stage(app, 'Prod'), 'Workloads');
    app.synth();
    const constructs = app.node.findAll();
    const stacks = constructs.filter(c => Stack.isStack(c)).length;
    const nested = jest.spyOn(NestedStack, 'isNestedStack');

    // WHEN the default guardrails evaluate the app as at the end of its synthesis
    new WorkloadIdentityGuardrails()._nothingToReport(app);

    // THEN the NestedStack test ran on the stacks only (it ran on every construct as well before)
    expect(constructs.length).toBeGreaterThan(3 * stacks);
    expect(nested.mock.calls.length).toBeLessThanOrEqual(stacks);
    // AND the scan finds what the three searches found
    const scan = scanApp(constructs);
    expect(scan.nestedStacks.map(s => s.node.path)).toEqual(['Plain/Nested']);
    expect(scan.workloadClusters.map(c => c.node.path)).toEqual(['Plain/Cluster']);
    expect(appStackTemplates(scan)).toEqual(appStackTemplates(constructs));
  });
});
