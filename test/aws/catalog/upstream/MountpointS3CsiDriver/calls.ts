/**
 * Mountpoint for S3 (the CSI driver v2.7.0 runs Mountpoint 1.22.3 with the
 * driver's credentials), mounted with --prefix datasets/ as the evaluation
 * app scopes it: lookups send HeadObject (GetObject) and ListObjectsV2 with
 * the prefix and '/' delimiter, reads GetObject, writes a multipart PutObject
 * (AbortMultipartUpload on failure), unlink with --allow-delete DeleteObject
 * (doc/SEMANTICS.md, doc/CONFIGURATION.md).
 */
import { R } from '../../catalog-app';
import { ControllerCalls } from '../controller-calls';

const s3 = (key: string) => `arn:aws:s3:::${key}`;
const object = (key: string) => s3(`${R.bucket}/${key}`);

export const calls: ControllerCalls = () => [
  { call: 'mount and readdir: ListObjectsV2 of the mount prefix', expect: 'Allowed', requests: [{ action: 's3:ListBucket', resource: s3(R.bucket), context: { 's3:prefix': 'datasets/', 's3:delimiter': '/' } }] },
  { call: 'lookup in a subdirectory: ListObjectsV2 and HeadObject', expect: 'Allowed', requests: [{ action: 's3:ListBucket', resource: s3(R.bucket), context: { 's3:prefix': 'datasets/2024/', 's3:delimiter': '/' } }, { action: 's3:GetObject', resource: object('datasets/2024') }] },
  { call: 'read: GetObject with Range', expect: 'Allowed', requests: [{ action: 's3:GetObject', resource: object('datasets/2024/a.parquet') }] },
  { call: 'write: multipart PutObject, AbortMultipartUpload on failure', expect: 'Allowed', requests: [{ action: 's3:PutObject', resource: object('datasets/2024/b.parquet') }, { action: 's3:AbortMultipartUpload', resource: object('datasets/2024/b.parquet') }] },
  { call: 'unlink with --allow-delete: DeleteObject', expect: 'Allowed', requests: [{ action: 's3:DeleteObject', resource: object('datasets/2024/b.parquet') }] },
  { call: 'ListObjectsV2 outside the prefix', expect: 'Denied', upstream: 'Allowed', requests: [{ action: 's3:ListBucket', resource: s3(R.bucket), context: { 's3:prefix': 'private/' } }] },
  { call: 'GetObject outside the prefix', expect: 'Denied', upstream: 'Allowed', requests: [{ action: 's3:GetObject', resource: object('private/a.parquet') }] },
  { call: 'GetObject in another bucket', expect: 'Denied', requests: [{ action: 's3:GetObject', resource: s3(`${R.otherBucket}/datasets/a.parquet`) }] },
  { call: 'PutBucketPolicy', expect: 'Denied', requests: [{ action: 's3:PutBucketPolicy', resource: s3(R.bucket) }] },
];
