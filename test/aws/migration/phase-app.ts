import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cdk8s from 'cdk8s';
import { IdentityMechanism, MechanismMigration, MigrationPhase, WorkloadIdentity, WorkloadServiceAccount } from '../../../lib';
import { ACCOUNT, eksCluster, ISSUER_KEY, newStack } from '../../fixtures';

export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/notifier`;
export const PHASES = [MigrationPhase.PREPARED, MigrationPhase.SWITCHED, MigrationPhase.FINISHED];

/** What one workload declares: a plain mechanism (before or after a migration), or a migration phase. */
export interface Declaration {
  readonly mechanism?: IdentityMechanism;
  readonly migration?: MechanismMigration;
}

/** The steps of each direction, from the mechanism it leaves to the one it reaches. */
export const DIRECTIONS: { name: string; to: IdentityMechanism; steps: Declaration[] }[] = [IdentityMechanism.POD_IDENTITY, IdentityMechanism.IRSA].map(to => {
  const from = to === IdentityMechanism.POD_IDENTITY ? IdentityMechanism.IRSA : IdentityMechanism.POD_IDENTITY;
  return {
    name: `${from} -> ${to}`,
    to,
    steps: [{ mechanism: from }, ...PHASES.map(phase => ({ migration: { to, phase } })), { mechanism: to }],
  };
});

export function describeDeclaration(d: Declaration): string {
  return d.migration ? `${d.migration.phase}` : `plain ${d.mechanism}`;
}

/** One synthesized app: the stack's template, the notifier's rendered ServiceAccount and the stack's warnings. */
export interface PhaseApp {
  readonly stack: Stack;
  readonly identity: WorkloadIdentity;
  readonly template: any;
  readonly serviceAccount: any;
  readonly warnings: string[];
}

export interface PhaseAppOptions {
  /** Another workload on the same cluster that stays on IRSA (it keeps the OIDC provider). */
  readonly otherIrsaWorkload?: boolean;
  /** The notifier's role exists already (the library did not create it). */
  readonly existingRole?: boolean;
}

/** The notifier (notifications/notifier on cluster campus) declared as `declaration`, synthesized. */
export function synthPhase(declaration: Declaration, options: PhaseAppOptions = {}): PhaseApp {
  const stack = newStack();
  // The stack owns the cluster, so it declares the OIDC provider: the phases show when it is needed.
  const cluster = eksCluster(stack, 'Cluster', 'campus', { createOpenIdConnectProvider: true });
  const identity = new WorkloadIdentity(stack, 'Notifier', {
    cluster, namespace: 'notifications', serviceAccountName: 'notifier', roleName: options.existingRole ? undefined : 'notifier',
    role: options.existingRole ? iam.Role.fromRoleArn(stack, 'Existing', ROLE_ARN) : undefined,
    ...declaration,
  });
  if (options.otherIrsaWorkload) {
    new WorkloadIdentity(stack, 'Archiver', { cluster, namespace: 'archive', serviceAccountName: 'archiver', mechanism: IdentityMechanism.IRSA });
  }
  const template = Template.fromStack(stack).toJSON();
  const chart = new cdk8s.Chart(cdk8s.Testing.app(), 'notifier');
  new WorkloadServiceAccount(chart, 'notifier', { binding: identity.primaryBinding });
  const [serviceAccount] = cdk8s.Testing.synth(chart);
  const warnings = Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map(w => String(w.entry.data));
  return { stack, identity, template, serviceAccount, warnings };
}

/** Resources of one type, by logical id. */
export function resourcesOf(template: any, type: string): { [id: string]: any } {
  return Object.fromEntries(Object.entries(template.Resources ?? {}).filter(([, r]: [string, any]) => r.Type === type));
}

/** The notifier role's trust statements. */
export function trustStatements(app: PhaseApp): any[] {
  const id = app.stack.getLogicalId(app.identity.role.node.defaultChild as iam.CfnRole);
  return app.template.Resources[id].Properties.AssumeRolePolicyDocument.Statement;
}

export const IRSA_STATEMENT = {
  Effect: 'Allow',
  Action: 'sts:AssumeRoleWithWebIdentity',
  Principal: { Federated: { Ref: 'ClusterOidcProvider45D293DD' } },
  Condition: { StringEquals: { [`${ISSUER_KEY}:sub`]: 'system:serviceaccount:notifications:notifier', [`${ISSUER_KEY}:aud`]: 'sts.amazonaws.com' } },
};

export const POD_IDENTITY_STATEMENT = {
  Effect: 'Allow',
  Action: ['sts:AssumeRole', 'sts:TagSession'],
  Principal: { Service: 'pods.eks.amazonaws.com' },
  Condition: {
    StringEquals: {
      'aws:SourceAccount': ACCOUNT,
      'aws:RequestTag/eks-cluster-arn': `arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/campus`,
      'aws:RequestTag/kubernetes-namespace': 'notifications',
      'aws:RequestTag/kubernetes-service-account': 'notifier',
    },
  },
};
