import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import { EXAMPLE_ENV } from '../../examples';
import { IdentityMechanism, WorkloadCluster, WorkloadIdentity, WorkloadStacks } from '../../lib';
import { cfnLint, cfnLintVersion } from './cfn-lint';

// A created cluster in one stack, IRSA identities in stacks of the same account and region, with the weak
// cross-stack references cdk.json sets: the condition keys split the provider's ARN, imported strongly.
describe('IRSA identities in other stacks of a created cluster\'s account and region', () => {
  test('GIVEN weak references by default WHEN the app is linted THEN cfn-lint finds no error (no Fn::GetStackOutput inside Fn::Split, E1022)', () => {
    // GIVEN
    expect(cfnLintVersion()).toMatch(/^cfn-lint 1\./);
    const context = { ...JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf-8')).context,
      ...JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.context.json'), 'utf-8')) };
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewi-strong-ref-'));
    try {
      const app = new cdk.App({ outdir, context });
      expect(app.node.tryGetContext('@aws-cdk/core:defaultCrossStackReferences')).toBe('weak');
      const clusterStack = new cdk.Stack(app, 'Cluster', { env: EXAMPLE_ENV });
      const vpc = new ec2.Vpc(clusterStack, 'Vpc', { maxAzs: 2, natGateways: 1 });
      const eksCluster = new eksv2.Cluster(clusterStack, 'Eks', {
        version: eksv2.KubernetesVersion.V1_33, vpc, defaultCapacityType: eksv2.DefaultCapacityType.NODEGROUP, defaultCapacity: 0,
      });
      const cluster = WorkloadCluster.fromEksV2Cluster(clusterStack, 'WorkloadCluster', eksCluster);
      const stacks = new WorkloadStacks(app, 'Workloads', { maxResourcesPerStack: 3, stackProps: { env: EXAMPLE_ENV } });
      for (const name of ['reader', 'writer', 'auditor']) {
        new WorkloadIdentity(stacks.stackWithRoom(), name, { cluster, namespace: 'analytics', serviceAccountName: name, mechanism: IdentityMechanism.IRSA });
      }

      // WHEN
      const templates = Object.fromEntries(app.synth().stacks.map(s => [s.stackName, s.template]));
      const findings = cfnLint(templates);

      // THEN the keys split an import, and nothing is an error
      expect(stacks.stacks.length).toBeGreaterThan(1);
      for (const stack of stacks.stacks) {
        const text = JSON.stringify(templates[stack.stackName]);
        expect(text).toContain('{"Fn::Split":[":oidc-provider/",{"Fn::ImportValue":"Cluster:ExportsOutputRef');
        expect(text).not.toContain('Fn::GetStackOutput');
      }
      expect(findings.filter(f => f.level === 'Error').map(f => `${f.rule} in ${f.template} at ${f.path}: ${f.message}`)).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
