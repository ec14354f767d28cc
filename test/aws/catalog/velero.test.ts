import { App, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { VeleroIdentity } from '../../../lib';
import { ACCOUNT, R, REGION, platformCluster } from './catalog-app';
import { statementOf, statementsOf } from './entry-statements';

describe('VeleroIdentity', () => {
  const stack = new Stack(new App(), 'Platform', { env: { account: ACCOUNT, region: REGION } });
  const e = new VeleroIdentity(stack, 'Velero', {
    cluster: platformCluster(stack), bucket: s3.Bucket.fromBucketName(stack, 'Bucket', R.backupBucket), kmsKeys: [kms.Key.fromKeyArn(stack, 'Key', R.key)],
  });

  test('customer keys: what S3 SSE-KMS and EBS need, and grants only for AWS resources (EBS attaching a restored volume)', () => {
    expect(statementOf(e, 'Kms')).toMatchObject({ Action: ['kms:Decrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:DescribeKey'], Resource: R.key });
    expect(statementOf(e, 'KmsGrantsForEbs')).toMatchObject({
      Action: 'kms:CreateGrant', Resource: R.key, Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    });
  });

  test('no grant management or plain encryption with the keys', () => {
    const kmsActions = statementsOf(e).flatMap(s => [s.Action].flat()).filter((a: string) => a.startsWith('kms:'));
    for (const a of ['kms:Encrypt', 'kms:ListGrants', 'kms:RevokeGrant', 'kms:RetireGrant', 'kms:ListRetirableGrants']) { expect(kmsActions).not.toContain(a); }
  });

  test('Helm values: the pod uses the identity (no credentials secret), the AWS plugin, and the scoped bucket and prefix as its storage location', () => {
    const values = new Stack(new App(), 'Values', { env: { account: ACCOUNT, region: REGION } });
    const v = new VeleroIdentity(values, 'Velero', {
      cluster: platformCluster(values), bucket: s3.Bucket.fromBucketName(values, 'Bucket', R.backupBucket), prefix: 'velero/',
    });
    expect(v.helmValues()).toEqual({
      credentials: { useSecret: false },
      initContainers: [{
        name: 'velero-plugin-for-aws', image: 'velero/velero-plugin-for-aws:v1.13.2', imagePullPolicy: 'IfNotPresent',
        volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
      }],
      configuration: {
        backupStorageLocation: [{ name: 'default', provider: 'aws', bucket: R.backupBucket, prefix: 'velero', default: true, config: { region: REGION } }],
        volumeSnapshotLocation: [{ name: 'default', provider: 'aws', config: { region: REGION } }],
      },
      serviceAccount: { server: { create: false, name: 'velero-server' } },
    });
  });
});
