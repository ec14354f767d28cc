/**
 * aws-fsx-csi-driver v1.9.0 (pkg/cloud/cloud.go): CreateVolume creates a
 * Lustre file system tagged CSIVolumeName (plus extraTags) and waits with
 * DescribeFileSystems; ControllerExpandVolume calls UpdateFileSystem;
 * DeleteVolume calls DeleteFileSystem. FSx creates its service-linked roles
 * on first use, the S3 one for a data repository bucket.
 */
import { ACCOUNT, R, REGION } from '../../catalog-app';
import { ControllerCalls } from '../controller-calls';

const fileSystems = `arn:aws:fsx:${REGION}:${ACCOUNT}:file-system/*`;
const fs = (id: string, account = ACCOUNT) => `arn:aws:fsx:${REGION}:${account}:file-system/${id}`;
const driverTag = { 'aws:RequestTag/CSIVolumeName': 'pvc-0d0c8a5e', 'aws:TagKeys': ['CSIVolumeName'] };
const driverFileSystem = { 'aws:ResourceTag/CSIVolumeName': 'pvc-0d0c8a5e' };

export const calls: ControllerCalls = () => [
  {
    call: 'CreateVolume: CreateFileSystem tagged CSIVolumeName, and its tag-on-create check',
    expect: 'Allowed',
    requests: [{ action: 'fsx:CreateFileSystem', resource: fileSystems, context: driverTag }, { action: 'fsx:TagResource', resource: fileSystems, context: driverTag }],
  },
  { call: 'CreateVolume: DescribeFileSystems until AVAILABLE', expect: 'Allowed', requests: [{ action: 'fsx:DescribeFileSystems', resource: '*' }] },
  {
    call: 'first file system: the FSx service-linked role',
    expect: 'Allowed',
    requests: [{ action: 'iam:CreateServiceLinkedRole', resource: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/fsx.amazonaws.com/AWSServiceRoleForAmazonFSx`, context: { 'iam:AWSServiceName': 'fsx.amazonaws.com' } }],
  },
  {
    call: 'a data repository: the S3 service-linked role and the linked bucket',
    expect: 'Allowed',
    requests: [
      { action: 'iam:CreateServiceLinkedRole', resource: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/s3.data-source.lustre.fsx.amazonaws.com/AWSServiceRoleForFSxS3Access_fs-0123456789abcdef0`, context: { 'iam:AWSServiceName': 's3.data-source.lustre.fsx.amazonaws.com' } },
      { action: 's3:ListBucket', resource: `arn:aws:s3:::${R.bucket}` },
    ],
  },
  { call: 'ControllerExpandVolume: UpdateFileSystem of a file system it created', expect: 'Allowed', requests: [{ action: 'fsx:UpdateFileSystem', resource: fs('fs-0123456789abcdef0'), context: driverFileSystem }] },
  { call: 'DeleteVolume: DeleteFileSystem of a file system it created', expect: 'Allowed', requests: [{ action: 'fsx:DeleteFileSystem', resource: fs('fs-0123456789abcdef0'), context: driverFileSystem }] },
  { call: 'DeleteFileSystem of a file system made outside the driver', expect: 'Denied', upstream: 'Allowed', requests: [{ action: 'fsx:DeleteFileSystem', resource: fs('fs-0fffffffffffffff0'), context: { 'aws:ResourceTag/team': 'payments' } }] },
  { call: 'UpdateFileSystem of a file system made outside the driver', expect: 'Denied', upstream: 'Allowed', requests: [{ action: 'fsx:UpdateFileSystem', resource: fs('fs-0fffffffffffffff0') }] },
  { call: 'CreateFileSystem in another account', expect: 'Denied', requests: [{ action: 'fsx:CreateFileSystem', resource: `arn:aws:fsx:${REGION}:210987654321:file-system/*`, context: driverTag }] },
  { call: 'ListBucket on a bucket not linked', expect: 'Denied', upstream: 'Allowed', requests: [{ action: 's3:ListBucket', resource: `arn:aws:s3:::${R.otherBucket}` }] },
  { call: 'iam:PutRolePolicy on an admin role', expect: 'Denied', requests: [{ action: 'iam:PutRolePolicy', resource: `arn:aws:iam::${ACCOUNT}:role/admin` }] },
];
