/**
 * Velero with velero-plugin-for-aws v1.13.2, the BackupStorageLocation
 * prefix velero/ as the evaluation app scopes it: backups upload (multipart
 * PutObject) and read objects, list the prefix, delete expired backups; the
 * volume snapshotter (volume_snapshotter.go) snapshots a PV's EBS volume with
 * tags (CreateSnapshot with TagSpecifications), restores volumes from
 * snapshots (CreateVolume), deletes snapshots. With the customer key: S3
 * SSE-KMS data keys and EBS grants for the restored volume.
 */
import { ACCOUNT, R, REGION } from '../../catalog-app';
import { ControllerCalls } from '../controller-calls';

const object = (key: string, bucket = R.backupBucket) => `arn:aws:s3:::${bucket}/${key}`;
const ec2 = (type: string) => `arn:aws:ec2:${REGION}:${ACCOUNT}:${type}`;
const backupTags = { 'aws:RequestTag/velero.io/backup': 'nightly', 'aws:TagKeys': ['velero.io/backup', 'velero.io/pv'] };

export const calls: ControllerCalls = () => [
  {
    call: 'backup: PutObject (multipart), ListMultipartUploadParts, AbortMultipartUpload below the prefix',
    expect: 'Allowed',
    requests: ['s3:PutObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'].map(action => ({ action, resource: object('velero/backups/nightly/nightly.tar.gz') })),
  },
  { call: 'sync and restore: ListObjectsV2 of the bucket, GetObject', expect: 'Allowed', requests: [{ action: 's3:ListBucket', resource: `arn:aws:s3:::${R.backupBucket}`, context: { 's3:prefix': 'velero/backups/' } }, { action: 's3:GetObject', resource: object('velero/backups/nightly/nightly.tar.gz') }] },
  { call: 'expired backup: DeleteObject', expect: 'Allowed', requests: [{ action: 's3:DeleteObject', resource: object('velero/backups/nightly/nightly.tar.gz') }] },
  {
    call: 'volume snapshot: CreateSnapshot of the PV\'s volume with tags, DescribeSnapshots',
    expect: 'Allowed',
    requests: [
      { action: 'ec2:CreateSnapshot', resource: ec2('volume/vol-0123456789abcdef0') },
      { action: 'ec2:CreateSnapshot', resource: `arn:aws:ec2:${REGION}::snapshot/*`, context: backupTags },
      { action: 'ec2:CreateTags', resource: `arn:aws:ec2:${REGION}::snapshot/*`, context: { ...backupTags, 'ec2:CreateAction': 'CreateSnapshot' } },
      { action: 'ec2:DescribeSnapshots', resource: '*' },
    ],
  },
  {
    call: 'restore: CreateVolume from the snapshot, DescribeVolumes; EBS\'s grant on the customer key',
    expect: 'Allowed',
    requests: [
      { action: 'ec2:CreateVolume', resource: ec2('volume/*') },
      { action: 'ec2:CreateVolume', resource: `arn:aws:ec2:${REGION}::snapshot/snap-0123456789abcdef0` },
      { action: 'ec2:DescribeVolumes', resource: '*' },
      { action: 'kms:DescribeKey', resource: R.key },
      { action: 'kms:CreateGrant', resource: R.key, context: { 'kms:GrantIsForAWSResource': 'true' } },
    ],
    upstream: 'Denied',
  },
  { call: 'expired backup: DeleteSnapshot', expect: 'Allowed', requests: [{ action: 'ec2:DeleteSnapshot', resource: `arn:aws:ec2:${REGION}::snapshot/snap-0123456789abcdef0` }] },
  { call: 'SSE-KMS bucket: GenerateDataKey and Decrypt with the key', expect: 'Allowed', upstream: 'Denied', requests: [{ action: 'kms:GenerateDataKey', resource: R.key }, { action: 'kms:Decrypt', resource: R.key }] },
  { call: 'PutObject outside the prefix', expect: 'Denied', upstream: 'Allowed', requests: [{ action: 's3:PutObject', resource: object('other/a.tar.gz') }] },
  { call: 'PutObject in another bucket', expect: 'Denied', requests: [{ action: 's3:PutObject', resource: object('velero/a.tar.gz', R.otherBucket) }] },
  { call: 'a KMS grant for a principal that is not an AWS service', expect: 'Denied', requests: [{ action: 'kms:CreateGrant', resource: R.key, context: { 'kms:GrantIsForAWSResource': 'false' } }] },
  { call: 'DeleteBucket', expect: 'Denied', requests: [{ action: 's3:DeleteBucket', resource: `arn:aws:s3:::${R.backupBucket}` }] },
];
