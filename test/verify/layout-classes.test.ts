/**
 * Issue 10 §1 and §4a: one hand-written layout per example the issue names
 * (each failed before the fix that landed with it),
 * each checked end to end (layout-check.ts): delivered exactly as declared,
 * per cluster, or refused with an error naming the reason. The property test
 * (properties-layouts.test.ts) searches the classes around them.
 */
import * as cdk from 'aws-cdk-lib';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import { ExampleOutput } from '../../examples';
import { ClusterKind, IdentityMechanism, WorkloadCluster, WorkloadIdentity } from '../../lib';
import { checkLayout } from './layout-check';
import * as catalog from '../../lib/aws/catalog';
import { ACCOUNTS, ADDON_ENTRIES, AddonEntry, HandleSpec, IdentitySpec, LayoutScenario } from './layout-scenario';
import { PLACEMENTS } from './layout-pods';
import { synthesize } from './synthesized-app';

const ISSUER_A = 'A'.repeat(32);
const ISSUER_B = 'B'.repeat(32);
const EKS = ClusterKind.EKS;
const handle = (cluster: number, stack: number, more: Partial<HandleSpec> = {}): HandleSpec => ({
  cluster, stack, form: 'attributes', issuerGiven: true, provider: { kind: 'own', issuerOf: cluster, account: 0 }, ...more,
});
const identity = (stack: number, subjects: IdentitySpec['subjects'], more: Partial<IdentitySpec> = {}): IdentitySpec => ({
  stack, existingRole: false, roleNameAtLimit: false, subjects, ...more,
});

/** checkLayout without aws-cdk-lib's template validation (the proof lints the templates itself). */
async function checkWithoutValidation(s: LayoutScenario, prefix: string): ReturnType<typeof checkLayout> {
  const previous = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  try {
    return await checkLayout(s, prefix);
  } finally {
    process.env.CDK_VALIDATION = previous;
  }
}

/** The outcome: delivered or refused (checkLayout throws on anything else). */
async function outcomeOf(s: LayoutScenario): Promise<string> {
  return (await checkWithoutValidation(s, 'C')).outcome;
}

function refusalOf(build: (app: cdk.App, k8s: ExampleOutput) => void): string {
  try {
    synthesize([{ name: 'class', build }]).dispose();
  } catch (e) {
    return (e as Error).message;
  }
  return 'delivered';
}

describe('provider and issuer disagree', () => {
  test('one provider handed to two clusters: the second cluster\'s subjects are refused, not written under the first issuer', async () => {
    // GIVEN clusters blue and green in one stack, green handed the provider declared for blue's issuer
    const s: LayoutScenario = {
      stacks: [0],
      clusters: [{ name: 'blue', env: 0, kind: EKS, issuerId: ISSUER_A }, { name: 'green', env: 0, kind: EKS, issuerId: ISSUER_B }],
      handles: [handle(0, 0, { provider: { kind: 'declared', issuerOf: 0, account: 0 } }), handle(1, 0, { provider: { kind: 'declared', issuerOf: 0, account: 0 } })],
      identities: [identity(0, [{ handle: 1, namespace: 'payments', serviceAccountName: 'app' }], { mechanism: IdentityMechanism.IRSA })],
    };
    // THEN it is refused, naming the reason
    expect(await outcomeOf(s)).toBe('refused');
  });

  test('an aws-eks-v2 adapter whose issuer differs from its provider is refused', async () => {
    const s: LayoutScenario = {
      stacks: [0],
      clusters: [{ name: 'blue', env: 0, kind: EKS, issuerId: ISSUER_A }, { name: 'green', env: 0, kind: EKS, issuerId: ISSUER_B }],
      handles: [handle(0, 0), handle(1, 0, { form: 'eksV2Imported', provider: { kind: 'imported', issuerOf: 0, account: 0 } })],
      identities: [identity(0, [{ handle: 1, namespace: 'payments', serviceAccountName: 'app' }], { mechanism: IdentityMechanism.IRSA })],
    };
    expect(await outcomeOf(s)).toBe('refused');
  });

  test('a provider that is a token cannot be proven to register the issuer: refused', async () => {
    const s: LayoutScenario = {
      stacks: [0],
      clusters: [{ name: 'blue', env: 0, kind: EKS, issuerId: ISSUER_A }, { name: 'green', env: 0, kind: EKS, issuerId: ISSUER_B }],
      handles: [handle(0, 0), handle(1, 0, { provider: { kind: 'importedToken', issuerOf: 0, account: 0 } })],
      identities: [identity(0, [{ handle: 1, namespace: 'payments', serviceAccountName: 'app' }], { mechanism: IdentityMechanism.IRSA })],
    };
    expect(await outcomeOf(s)).toBe('refused');
  });
});

describe('one cluster, two handles', () => {
  test('two fromEksV2Cluster calls on one created cluster: a ServiceAccount bound by two identities is refused', () => {
    // GIVEN one aws-eks-v2 cluster adapted twice, and two identities for one ServiceAccount
    const message = refusalOf(app => {
      const stack = new cdk.Stack(app, 'Twice', { env: { account: ACCOUNTS[0], region: 'eu-west-1' } });
      const cluster = new eksv2.Cluster(stack, 'Cluster', { version: eksv2.KubernetesVersion.V1_33 });
      const first = WorkloadCluster.fromEksV2Cluster(stack, 'First', cluster);
      const second = WorkloadCluster.fromEksV2Cluster(stack, 'Second', cluster);
      new WorkloadIdentity(stack, 'A', { cluster: first, namespace: 'payments', serviceAccountName: 'app' });
      new WorkloadIdentity(stack, 'B', { cluster: second, namespace: 'payments', serviceAccountName: 'app' });
    });
    // THEN it is refused as bound twice
    expect(message).toMatch(/ServiceAccount 'payments\/app' on cluster '[^']+' is bound by both 'Twice\/A' and 'Twice\/B'/);
  });
});

describe('one cluster, two handles, one provider', () => {
  test('two handles that both own the cluster\'s provider: the second is refused at construction, naming the first (issue 20)', async () => {
    const s: LayoutScenario = {
      stacks: [0],
      clusters: [{ name: 'blue', env: 0, kind: ClusterKind.NOT_EKS, issuerId: ISSUER_A }],
      handles: [handle(0, 0), handle(0, 0)],
      identities: [identity(0, [{ handle: 1, namespace: 'payments', serviceAccountName: 'app' }])],
    };
    expect(await outcomeOf(s)).toBe('refused');
  });

  test('the second handle, handed the owner, reuses its provider, and its audience is listed there too', async () => {
    // GIVEN two handles of one cluster in one stack, the second handed the first, two identities with different audiences
    // (long run, seed 20261127, app 9092, where the second handle owned the provider too)
    const s: LayoutScenario = {
      stacks: [1, 0],
      clusters: [{ name: 'blue', env: 0, kind: ClusterKind.NOT_EKS, issuerId: ISSUER_A }],
      handles: [handle(0, 1), handle(0, 1, { provider: { kind: 'referenced', issuerOf: 0, account: 0 } })],
      identities: [
        identity(0, [{ handle: 0, namespace: 'payments', serviceAccountName: 'app' }], { audience: 'api.example.com', restrictTrustToSubjects: false }),
        identity(0, [{ handle: 1, namespace: 'payments', serviceAccountName: 'worker' }]),
      ],
    };
    // THEN both ServiceAccounts are delivered exactly: one provider, listing both audiences
    expect(await outcomeOf(s)).toBe('delivered');
  });
});

describe('several accounts or regions', () => {
  test('restrictTrustToSubjects false with Pod Identity clusters in two accounts: every declared account or refused', async () => {
    const s: LayoutScenario = {
      stacks: [0, 2],
      clusters: [{ name: 'blue', env: 0, kind: EKS, issuerId: ISSUER_A }, { name: 'green', env: 2, kind: EKS, issuerId: ISSUER_B }],
      handles: [handle(0, 0), handle(1, 1)],
      identities: [identity(0, [{ handle: 0, namespace: 'payments', serviceAccountName: 'app' }, { handle: 1, namespace: 'payments', serviceAccountName: 'app' }],
        { mechanism: IdentityMechanism.POD_IDENTITY, restrictTrustToSubjects: false, sessionTags: true })],
    };
    await outcomeOf(s);
  });

  test('a Pod Identity subject on a cluster in another region: its association where the cluster is, or refused', async () => {
    const s: LayoutScenario = {
      stacks: [0, 1],
      clusters: [{ name: 'blue', env: 1, kind: EKS, issuerId: ISSUER_A }],
      handles: [handle(0, 1)],
      identities: [identity(0, [{ handle: 0, namespace: 'payments', serviceAccountName: 'app' }], { mechanism: IdentityMechanism.POD_IDENTITY })],
    };
    await outcomeOf(s);
  });

  test('an IRSA subject whose provider lives in another account\'s stack: refused or handled', async () => {
    const s: LayoutScenario = {
      stacks: [0, 2],
      clusters: [{ name: 'blue', env: 2, kind: EKS, issuerId: ISSUER_A }],
      handles: [handle(0, 1)],
      identities: [identity(0, [{ handle: 0, namespace: 'payments', serviceAccountName: 'app' }], { mechanism: IdentityMechanism.IRSA })],
    };
    await outcomeOf(s);
  });
});

describe('deploys that collide (§4a)', () => {
  test('a role name generated for IRSA differs between two regions of one account', () => {
    const roleNames = (region: string) => {
      const app = synthesize([{ name: 'regions', build: aws => {
        const stack = new cdk.Stack(aws, 'Regional', { env: { account: ACCOUNTS[0], region } });
        const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'blue', oidcIssuerUrl: `https://oidc.eks.${region}.amazonaws.com/id/${ISSUER_A}` });
        new WorkloadIdentity(stack, 'Payment', { cluster, namespace: 'payments', serviceAccountName: 'app', mechanism: IdentityMechanism.IRSA });
      } }]);
      try {
        return app.identities.flatMap(i => i.bindings.map(b => b.roleArn));
      } finally {
        app.dispose();
      }
    };
    const [west, east] = [roleNames('eu-west-1'), roleNames('us-east-1')];
    expect(west).toHaveLength(1);
    expect(east[0]).not.toEqual(west[0]);
  });
});

describe('mixed Fargate/EC2 clusters (issue 25 §2)', () => {
  // GIVEN cluster blue whose profile runs every pod of 'pay*' on Fargate and the pods of 'reports' labelled compute=fargate
  const mixed = (identities: IdentitySpec[]): LayoutScenario => ({
    stacks: [0],
    clusters: [{
      name: 'blue', env: 0, kind: EKS, issuerId: ISSUER_A,
      fargate: [{ profileName: 'fargate', namespace: 'pay*' }, { profileName: 'fargate', namespace: 'reports', labels: { compute: 'fargate' } }],
    }, { name: 'green', env: 0, kind: EKS, issuerId: ISSUER_B }],
    handles: [handle(0, 0), handle(1, 0)],
    identities,
  });

  test('one identity: the Fargate subject gets IRSA, the EC2 subject and the same names on another cluster Pod Identity, each allowed only there', async () => {
    const s = mixed([identity(0, [
      { handle: 0, namespace: 'payments', serviceAccountName: 'app' },
      { handle: 0, namespace: 'a', serviceAccountName: 'app' },
      { handle: 1, namespace: 'payments', serviceAccountName: 'app' },
    ])]);
    expect(await outcomeOf(s)).toBe('delivered');
  });

  test('a namespace only labelled pods of which run on Fargate: IRSA by default, Pod Identity when declared', async () => {
    expect(await outcomeOf(mixed([identity(0, [{ handle: 0, namespace: 'reports', serviceAccountName: 'app' }])]))).toBe('delivered');
    expect(await outcomeOf(mixed([identity(0, [{ handle: 0, namespace: 'reports', serviceAccountName: 'app' }], { mechanism: IdentityMechanism.POD_IDENTITY })]))).toBe('delivered');
  });

  test('Pod Identity declared in a namespace every pod of which runs on Fargate is refused, naming the reason', async () => {
    const s = mixed([identity(0, [{ handle: 0, namespace: 'payments', serviceAccountName: 'app' }], { mechanism: IdentityMechanism.BOTH })]);
    expect(await outcomeOf(s)).toBe('refused');
  });
});

describe('the pod identity webhook on an issuer kit\'s cluster, and pods on Fargate, on the node\'s network or on Windows nodes (issue 18 and 25 leftovers)', () => {
  /** The NOT_EKS cluster 'lab' served by the issuer kit, its webhook rendered with `tokenAudience`, one IRSA identity of `audience`. */
  const kit = (tokenAudience: string | undefined, audience: string | undefined): LayoutScenario => ({
    stacks: [0],
    clusters: [{ name: 'lab', env: 0, kind: ClusterKind.NOT_EKS, issuerId: ISSUER_A, issuerKit: { hostedZone: false, webhook: { region: true, tokenAudience } } }],
    handles: [handle(0, 0, { form: 'issuerKit' })],
    identities: [identity(0, [{ handle: 0, namespace: 'payments', serviceAccountName: 'app' }], { audience })],
  });

  test.each([
    [undefined, undefined, 'delivered', undefined],
    ['api.example.com', 'api.example.com', 'delivered', undefined],
    [undefined, 'api.example.com', 'delivered', undefined],
    // The webhook projects its tokenAudience for a ServiceAccount of the default audience (no annotation): STS would refuse it.
    ['api.example.com', undefined, 'refused', 'webhook-audience-not-declared'],
  ])('webhook tokenAudience %s, identity audience %s: %s', async (tokenAudience, audience, outcome, refusal) => {
    // THEN delivered (and the webhook judged: it answers, reads ServiceAccounts with a mounted token, projects the declared audience), or refused by its class
    expect(await checkWithoutValidation(kit(tokenAudience, audience), 'W')).toMatchObject(refusal ? { outcome, refusal } : { outcome });
  });

  /** EKS cluster 'blue' whose pods of 'payments' labelled compute=fargate run on Fargate; payments/app bound by `mechanism`; one Deployment of `labels`. */
  const fargate = (mechanism: IdentityMechanism | undefined, labels: { [key: string]: string }): LayoutScenario => ({
    stacks: [0],
    clusters: [{ name: 'blue', env: 0, kind: EKS, issuerId: ISSUER_A, fargate: [{ profileName: 'burst', namespace: 'pay*', labels: { compute: 'fargate' } }] }],
    handles: [handle(0, 0)],
    identities: [identity(0, [{ handle: 0, namespace: 'payments', serviceAccountName: 'app' }], { mechanism })],
    pods: [{ identity: 0, subject: 0, kind: 'Deployment', labels }],
  });

  test.each([
    [IdentityMechanism.POD_IDENTITY, { compute: 'ec2' }, 'delivered', undefined],
    [undefined, { compute: 'fargate' }, 'delivered', undefined],
    [IdentityMechanism.POD_IDENTITY, { compute: 'fargate' }, 'refused', 'pod-identity-pod-on-fargate'],
    [IdentityMechanism.BOTH, { compute: 'fargate' }, 'refused', 'pod-identity-pod-on-fargate'],
  ])('mechanism %s, a Deployment labelled %j: %s', async (mechanism, labels, outcome, refusal) => {
    expect(await checkWithoutValidation(fargate(mechanism, labels), 'F')).toMatchObject(refusal ? { outcome, refusal } : { outcome });
  });

  /** EKS cluster 'blue' without Fargate; payments/app bound by `mechanism`; one bare Pod asking for `placement`. */
  const placed = (mechanism: IdentityMechanism | undefined, placement: string): LayoutScenario => ({
    stacks: [0],
    clusters: [{ name: 'blue', env: 0, kind: EKS, issuerId: ISSUER_A }],
    handles: [handle(0, 0)],
    identities: [identity(0, [{ handle: 0, namespace: 'payments', serviceAccountName: 'app' }], { mechanism })],
    pods: [{ identity: 0, subject: 0, kind: 'Pod', labels: {}, placement: PLACEMENTS.find(p => p.name === placement)! }],
  });

  test.each([
    [IdentityMechanism.POD_IDENTITY, 'host network', 'refused', 'pod-identity-pod-off-network-or-linux'],
    [IdentityMechanism.BOTH, 'host network', 'refused', 'pod-identity-pod-off-network-or-linux'],
    [IdentityMechanism.IRSA, 'host network', 'delivered', undefined],
    [IdentityMechanism.POD_IDENTITY, 'host network false', 'delivered', undefined],
    [IdentityMechanism.POD_IDENTITY, 'node selector windows', 'refused', 'pod-identity-pod-off-network-or-linux'],
    [IdentityMechanism.POD_IDENTITY, 'node selector linux', 'delivered', undefined],
    [IdentityMechanism.POD_IDENTITY, 'affinity In windows, with an instance type', 'refused', 'pod-identity-pod-off-network-or-linux'],
    // Only a node whose OS is not linux can take it: on EKS, a Windows node.
    [IdentityMechanism.POD_IDENTITY, 'affinity NotIn linux', 'refused', 'pod-identity-pod-off-network-or-linux'],
    [IdentityMechanism.IRSA, 'affinity NotIn linux', 'delivered', undefined],
    // A Linux node can take these: one term of the affinity, or one value of its requirement, admits it.
    [IdentityMechanism.POD_IDENTITY, 'affinity In windows or In linux', 'delivered', undefined],
    [IdentityMechanism.POD_IDENTITY, 'affinity In linux, windows', 'delivered', undefined],
    [IdentityMechanism.POD_IDENTITY, 'affinity In windows or an instance type', 'delivered', undefined],
    // The pod's own OS: the kubelet admits it only on a node of that OS, so os.name windows (or the pod label) is Windows-only.
    [IdentityMechanism.POD_IDENTITY, 'os.name windows', 'refused', 'pod-identity-pod-off-network-or-linux'],
    [IdentityMechanism.BOTH, 'os.name windows, node selector windows', 'refused', 'pod-identity-pod-off-network-or-linux'],
    [IdentityMechanism.IRSA, 'os.name windows', 'delivered', undefined],
    [IdentityMechanism.POD_IDENTITY, 'os.name linux', 'delivered', undefined],
    [IdentityMechanism.POD_IDENTITY, 'pod label windows', 'refused', 'pod-identity-pod-off-network-or-linux'],
    [IdentityMechanism.POD_IDENTITY, 'pod label linux', 'delivered', undefined],
    // No node runs these: not a credentials problem.
    [IdentityMechanism.POD_IDENTITY, 'os.name windows, node selector linux', 'delivered', undefined],
    [IdentityMechanism.POD_IDENTITY, 'node selectors windows and beta linux', 'delivered', undefined],
    // The deprecated beta.kubernetes.io/os label, which the kubelet still sets to its OS.
    [IdentityMechanism.POD_IDENTITY, 'node selector beta windows', 'refused', 'pod-identity-pod-off-network-or-linux'],
    [IdentityMechanism.POD_IDENTITY, 'affinity NotIn linux on the beta label', 'refused', 'pod-identity-pod-off-network-or-linux'],
  ])('mechanism %s, a Pod on %s: %s', async (mechanism, placement, outcome, refusal) => {
    expect(await checkWithoutValidation(placed(mechanism, placement), 'P')).toMatchObject(refusal ? { outcome, refusal } : { outcome });
  });
});

describe('the layouts draw every catalog add-on entry (issue 18 §2 leftover)', () => {
  test('each AddonIdentity subclass the catalog exports is an entry the generator draws', () => {
    // GIVEN the catalog's exports
    const entries = Object.entries(catalog).filter(([, v]) => typeof v === 'function' && v.prototype instanceof catalog.AddonIdentity).map(([name]) => name).sort();
    // THEN each is one of the generator's add-on entries (layout-scenario.ts addonEntry), and the other way round
    const drawn: { [className: string]: AddonEntry } = {
      CloudWatchObservabilityIdentity: 'amazon-cloudwatch-observability', EbsCsiDriverIdentity: 'aws-ebs-csi-driver', EfsCsiDriverIdentity: 'aws-efs-csi-driver',
      MountpointS3CsiDriverIdentity: 'aws-mountpoint-s3-csi-driver', VpcCniIdentity: 'vpc-cni',
    };
    expect(entries).toEqual(Object.keys(drawn).sort());
    expect(Object.values(drawn).sort()).toEqual([...ADDON_ENTRIES].sort());
  });
});
