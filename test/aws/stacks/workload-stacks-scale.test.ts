import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { CLOUDFORMATION_MAX_RESOURCES, CLOUDFORMATION_MAX_TEMPLATE_BYTES, layoutProblems, readLayout } from '../../../bench/layout';
import { buildFleet, FLEET_CLUSTERS, fleetIssuer } from '../../../bench/scenarios/fleet';

// The layout a platform team gets for 1,000 workloads on three clusters
// (Pod Identity, IRSA, mixed) with WorkloadStacks and no arithmetic. About
// 4 s of CPU with CDK_VALIDATION off (test/setup.ts), so it runs in npm test;
// 10,000 workloads take minutes and run in `npm run bench` (its fleet table).
const N = 1000;

describe(`${N} workloads on three clusters`, () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  // GIVEN the fleet, WHEN synthesized
  const app = new App({ outdir: path.join(outdir, 'cdk.out') });
  const { stacks } = buildFleet(N, app, path.join(outdir, 'k8s'));
  app.synth();
  const layout = readLayout(path.join(outdir, 'cdk.out'));
  const workloadStacks = layout.stacks.filter(s => s.templateFile !== 'Platform.template.json');

  test('every stack is within the helper\'s budget of 400 resources, leaving 100 for the user\'s own', () => {
    expect(stacks.stacks).toHaveLength(workloadStacks.length);
    for (const s of layout.stacks) {
      expect(s.resources).toBeLessThanOrEqual(stacks.maxResourcesPerStack);
    }
    // and the stacks are full, not one workload each: 3,000 resources need 8 stacks of 400
    expect(workloadStacks.length).toBeLessThanOrEqual(Math.ceil(layout.stacks.reduce((sum, s) => sum + s.resources, 0) / 380));
    expect(stacks.maxResourcesPerStack).toBeLessThan(CLOUDFORMATION_MAX_RESOURCES);
  });

  test('nothing stops the deployment: the check the bench applies at 10,000 finds nothing here, and finds what it is for', () => {
    expect(layoutProblems(layout)).toEqual([]);
    const broken = {
      stacks: [{ templateFile: 'Big.template.json', resources: 501, bytes: 1_000_001, resourceTypes: {} }],
      podIdentityAgents: { pods: 2 },
      oidcProviders: { [fleetIssuer('irsa')]: 2 },
    };
    expect(layoutProblems(broken)).toEqual([
      'Big.template.json has 501 resources',
      'Big.template.json has 1000001 bytes',
      'cluster pods has 2 agent add-ons',
      `issuer ${fleetIssuer('irsa')} has 2 OIDC providers`,
    ]);
  });

  test('every template is under half of CloudFormation\'s 1 MB', () => {
    for (const s of layout.stacks) {
      expect(s.bytes).toBeLessThan(CLOUDFORMATION_MAX_TEMPLATE_BYTES / 2);
    }
  });

  test('every workload is there: one role each, one association per Pod Identity workload', () => {
    const count = (type: string) => layout.stacks.reduce((sum, s) => sum + (s.resourceTypes[type] ?? 0), 0);
    expect(count('AWS::IAM::Role')).toBe(N);
    expect(count('AWS::IAM::Policy')).toBe(N);
    // cluster 'pods' (334 workloads) and half of 'mixed' (333 workloads: 167 Pod Identity)
    expect(count('AWS::EKS::PodIdentityAssociation')).toBe(334 + 167);
  });

  test('one agent add-on per Pod Identity cluster and one OIDC provider per IRSA cluster, all in the platform stack', () => {
    expect(layout.podIdentityAgents).toEqual({ pods: 1, mixed: 1 });
    expect(layout.oidcProviders).toEqual({ [fleetIssuer('irsa')]: 1, [fleetIssuer('mixed')]: 1 });
    for (const s of workloadStacks) {
      expect(s.resourceTypes['AWS::EKS::Addon']).toBeUndefined();
      expect(s.resourceTypes['AWS::IAM::OIDCProvider']).toBeUndefined();
    }
    expect(FLEET_CLUSTERS.map(c => c.name)).toEqual(['pods', 'irsa', 'mixed']);
  });
});
