import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IdentityMechanism, MigrationPhase, PodSessionTag, WorkloadIdentity } from '../../../lib';
import { ACCOUNT, eksCluster, newStack, REGION, selfManagedCluster } from '../../fixtures';

const { IRSA, POD_IDENTITY, BOTH } = IdentityMechanism;
const { PREPARED, SWITCHED, FINISHED } = MigrationPhase;

describe('declaring a migration', () => {
  test.each([
    [POD_IDENTITY, POD_IDENTITY, 'IRSA'],
    [BOTH, POD_IDENTITY, 'IRSA'],
    [IRSA, IRSA, 'POD_IDENTITY'],
    [BOTH, IRSA, 'POD_IDENTITY'],
  ])('GIVEN mechanism %s beside a migration to %s WHEN constructed THEN it is refused, naming both and the fix', (mechanism, to, from) => {
    const stack = newStack();
    expect(() => new WorkloadIdentity(stack, 'Notifier', {
      cluster: eksCluster(stack), namespace: 'notifications', serviceAccountName: 'notifier', mechanism, migration: { to, phase: SWITCHED },
    })).toThrow(
      `ServiceAccount 'notifications/notifier' on cluster 'campus' declares mechanism ${mechanism} and migration { to: ${to}, phase: SWITCHED }, which contradict: ` +
      `a migration to ${to} starts from ${from}, and each phase sets what the role trusts and what the ServiceAccount carries. ` +
      `Remove mechanism (the migration implies it) or set it to ${from}.`);
  });

  test('GIVEN the mechanism it starts from beside the migration WHEN constructed THEN it is the same as the migration alone', () => {
    const stack = newStack();
    const cluster = eksCluster(stack);
    const identity = new WorkloadIdentity(stack, 'Notifier', {
      cluster, namespace: 'notifications', serviceAccountName: 'notifier', mechanism: IRSA, migration: { to: POD_IDENTITY, phase: PREPARED },
    });
    expect(identity.primaryBinding.mechanism).toBe(IRSA);
    expect(identity.primaryBinding.migration).toEqual({ to: POD_IDENTITY, phase: PREPARED });
  });

  test('GIVEN BOTH as the destination WHEN constructed THEN it is refused: BOTH is a phase, not a destination', () => {
    const stack = newStack();
    expect(() => new WorkloadIdentity(stack, 'Notifier', {
      cluster: eksCluster(stack), namespace: 'notifications', serviceAccountName: 'notifier', migration: { to: BOTH, phase: SWITCHED },
    })).toThrow(
      "Invalid migration of the ServiceAccount 'notifications/notifier' on cluster 'campus': to \"BOTH\" must be POD_IDENTITY or IRSA. " +
      'BOTH is not a destination: it is the SWITCHED phase to POD_IDENTITY (or the PREPARED phase to IRSA).');
  });

  test('GIVEN an unknown phase (as from Python or a typo) WHEN constructed THEN it is refused, listing the phases', () => {
    const stack = newStack();
    expect(() => new WorkloadIdentity(stack, 'Notifier', {
      cluster: eksCluster(stack), namespace: 'notifications', serviceAccountName: 'notifier', migration: { to: POD_IDENTITY, phase: 'DONE' as MigrationPhase },
    })).toThrow("Invalid migration of the ServiceAccount 'notifications/notifier' on cluster 'campus': phase \"DONE\" must be one of PREPARED, SWITCHED, FINISHED.");
  });

  test('GIVEN a cluster that is not EKS WHEN a migration to Pod Identity is declared THEN it is refused: no phase of it exists there', () => {
    const stack = newStack();
    expect(() => new WorkloadIdentity(stack, 'Notifier', {
      cluster: selfManagedCluster(stack), namespace: 'notifications', serviceAccountName: 'notifier', migration: { to: POD_IDENTITY, phase: PREPARED },
    })).toThrow(
      "ServiceAccount 'notifications/notifier' on cluster 'edge' cannot use migration { to: POD_IDENTITY, phase: PREPARED }: the cluster is NOT_EKS " +
      '(self-managed, EKS Anywhere or another distribution), where EKS Pod Identity does not exist. Use IdentityMechanism.IRSA with the cluster\'s oidcIssuerUrl.');
  });
});

describe('a migration per subject: clusters move one at a time', () => {
  function fleet() {
    const stack = newStack();
    const blue = eksCluster(stack, 'Blue', 'blue');
    const green = eksCluster(stack, 'Green', 'green');
    return { stack, blue, green };
  }

  test('GIVEN an identity on IRSA WHEN one subject declares its own migration THEN only that subject is associated and annotated accordingly', () => {
    const { stack, blue, green } = fleet();
    const identity = new WorkloadIdentity(stack, 'Notifier', { cluster: blue, namespace: 'notifications', serviceAccountName: 'notifier', mechanism: IRSA });
    const switched = identity.addSubject({ cluster: green, namespace: 'notifications', serviceAccountName: 'notifier', migration: { to: POD_IDENTITY, phase: SWITCHED } });

    expect(identity.primaryBinding).toMatchObject({ clusterName: 'blue', mechanism: IRSA });
    expect(identity.primaryBinding.migration).toBeUndefined();
    expect(switched).toMatchObject({ clusterName: 'green', mechanism: BOTH, migration: { to: POD_IDENTITY, phase: SWITCHED } });
    const associations = Template.fromStack(stack).findResources('AWS::EKS::PodIdentityAssociation');
    expect(Object.values(associations).map((a: any) => a.Properties.ClusterName)).toEqual(['green']);
  });

  test('GIVEN an identity migrating WHEN a subject names its own mechanism THEN the identity\'s migration does not apply to it', () => {
    const { stack, blue, green } = fleet();
    const identity = new WorkloadIdentity(stack, 'Notifier', {
      cluster: blue, namespace: 'notifications', serviceAccountName: 'notifier', migration: { to: POD_IDENTITY, phase: FINISHED },
    });
    const notYet = identity.addSubject({ cluster: green, namespace: 'notifications', serviceAccountName: 'notifier', mechanism: IRSA });
    const inherits = identity.addSubject({ cluster: green, namespace: 'notifications', serviceAccountName: 'reporter' });

    expect(notYet.mechanism).toBe(IRSA);
    expect(notYet.migration).toBeUndefined();
    expect(inherits).toMatchObject({ mechanism: POD_IDENTITY, migration: { to: POD_IDENTITY, phase: FINISHED } });
    // The green notifier keeps its web-identity statement; blue's is gone.
    const role = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'))[0] as any;
    const subjects = role.Properties.AssumeRolePolicyDocument.Statement
      .filter((s: any) => s.Action === 'sts:AssumeRoleWithWebIdentity').map((s: any) => Object.entries(s.Condition.StringEquals).find(([k]) => k.endsWith(':sub'))![1]);
    expect(subjects).toEqual(['system:serviceaccount:notifications:notifier']);
  });

  test('GIVEN a subject with its own migration and a contradicting mechanism WHEN added THEN it is refused', () => {
    const { stack, blue, green } = fleet();
    const identity = new WorkloadIdentity(stack, 'Notifier', { cluster: blue, namespace: 'notifications', serviceAccountName: 'notifier', mechanism: IRSA });
    expect(() => identity.addSubject({ cluster: green, namespace: 'notifications', serviceAccountName: 'notifier', mechanism: IRSA, migration: { to: IRSA, phase: PREPARED } }))
      .toThrow("ServiceAccount 'notifications/notifier' on cluster 'green' declares mechanism IRSA and migration { to: IRSA, phase: PREPARED }, which contradict");
  });
});

describe('sessions tagged by EKS during a migration', () => {
  test('GIVEN a migration to Pod Identity only PREPARED WHEN granting by a session tag THEN it is refused: pods still use IRSA', () => {
    const stack = newStack();
    const identity = new WorkloadIdentity(stack, 'Notifier', {
      cluster: eksCluster(stack), namespace: 'notifications', serviceAccountName: 'notifier', migration: { to: POD_IDENTITY, phase: PREPARED },
    });
    expect(() => identity.sessionTag(PodSessionTag.NAMESPACE)).toThrow(/'notifications\/notifier' on cluster 'campus' \(IRSA\) can use IRSA/);
  });
});

describe('the agent add-on when prepared for Pod Identity', () => {
  test('GIVEN the cluster\'s add-on owned by another stack WHEN a workload is PREPARED for Pod Identity THEN its stack deploys after the add-on\'s', () => {
    // GIVEN the platform stack that owns the cluster and its agent
    const app = new App();
    const env = { account: ACCOUNT, region: REGION };
    const platform = new Stack(app, 'Platform', { env });
    const cluster = eksCluster(platform);
    const workloads = new Stack(app, 'Workloads', { env });

    // WHEN a workload in another stack is prepared (no association yet)
    new WorkloadIdentity(workloads, 'Notifier', { cluster, namespace: 'notifications', serviceAccountName: 'notifier', migration: { to: POD_IDENTITY, phase: PREPARED } });

    // THEN the add-on is declared in the platform stack, and the workloads stack waits for it
    expect(Object.values(Template.fromStack(platform).findResources('AWS::EKS::Addon')).map((a: any) => a.Properties.AddonName)).toEqual(['eks-pod-identity-agent']);
    expect(workloads.dependencies).toEqual([platform]);
    expect(Template.fromStack(workloads).findResources('AWS::EKS::PodIdentityAssociation')).toEqual({});
  });
});
