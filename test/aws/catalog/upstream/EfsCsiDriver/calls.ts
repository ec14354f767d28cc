/**
 * aws-efs-csi-driver v3.4.1, the controller (pkg/driver/controller.go,
 * pkg/cloud/cloud.go): CreateVolume describes the file system, looks for an
 * access point by client token (DescribeAccessPoints), creates one tagged
 * efs.csi.aws.com/cluster=true (buildAccessPointTags) and, across accounts or
 * AZs, reads mount targets and zones; DeleteVolume deletes the access point.
 * With provisioningMode s3files-ap the same calls go to S3 Files. Tag-on-create
 * is authorized as TagResource with the request's tags and the creating action
 * (AmazonEFSCSIDriverPolicy conditions on aws:RequestTag and
 * elasticfilesystem:CreateAction; the driver's own example on
 * aws:ResourceTag): the request carries all three.
 */
import { ACCOUNT, R, REGION } from '../../catalog-app';
import { ControllerCalls } from '../controller-calls';

const fs = (id: string) => `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/${id}`;
const ap = (id: string) => `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:access-point/${id}`;
const s3fs = `arn:aws:s3files:${REGION}:${ACCOUNT}:file-system/fs-0123456789abcdef1`;
const s3ap = (id: string) => `${s3fs}/access-point/${id}`;
const driverTags = { 'aws:RequestTag/efs.csi.aws.com/cluster': 'true', 'aws:TagKeys': ['efs.csi.aws.com/cluster'] };
const tagOnCreate = (service: string) => ({ ...driverTags, [`${service}:CreateAction`]: 'CreateAccessPoint', 'aws:ResourceTag/efs.csi.aws.com/cluster': 'true' });
const driverAccessPoint = { 'aws:ResourceTag/efs.csi.aws.com/cluster': 'true' };

export const calls: ControllerCalls = () => [
  { call: 'CreateVolume: DescribeFileSystems of the StorageClass file system', expect: 'Allowed', requests: [{ action: 'elasticfilesystem:DescribeFileSystems', resource: fs(R.fileSystem) }] },
  { call: 'CreateVolume: DescribeAccessPoints (FindAccessPointByClientToken, ListAccessPoints)', expect: 'Allowed', requests: [{ action: 'elasticfilesystem:DescribeAccessPoints', resource: fs(R.fileSystem) }] },
  {
    call: 'CreateVolume: CreateAccessPoint with the driver tag, and its tag-on-create check',
    expect: 'Allowed',
    requests: [
      { action: 'elasticfilesystem:CreateAccessPoint', resource: fs(R.fileSystem), context: driverTags },
      { action: 'elasticfilesystem:TagResource', resource: ap('fsap-0123456789abcdef0'), context: tagOnCreate('elasticfilesystem') },
    ],
  },
  {
    call: 'CreateVolume across accounts or AZs: DescribeMountTargets, ec2:DescribeAvailabilityZones',
    expect: 'Allowed',
    requests: [{ action: 'elasticfilesystem:DescribeMountTargets', resource: fs(R.fileSystem) }, { action: 'ec2:DescribeAvailabilityZones', resource: '*' }],
  },
  { call: 'DeleteVolume: DeleteAccessPoint of an access point it created', expect: 'Allowed', requests: [{ action: 'elasticfilesystem:DeleteAccessPoint', resource: ap('fsap-0123456789abcdef0'), context: driverAccessPoint }] },
  {
    call: 's3files-ap: ListFileSystems, ListAccessPoints, CreateAccessPoint with the driver tag and its tag-on-create check',
    expect: 'Allowed',
    requests: [
      { action: 's3files:ListFileSystems', resource: '*' },
      { action: 's3files:ListAccessPoints', resource: s3ap('*') },
      { action: 's3files:CreateAccessPoint', resource: s3fs, context: driverTags },
      { action: 's3files:TagResource', resource: s3ap('fsap-0123456789abcdef1'), context: tagOnCreate('s3files') },
    ],
  },
  { call: 's3files-ap DeleteVolume: DeleteAccessPoint of an access point it created', expect: 'Allowed', requests: [{ action: 's3files:DeleteAccessPoint', resource: s3ap('fsap-0123456789abcdef1'), context: driverAccessPoint }] },
  { call: 'CreateAccessPoint without the driver tag (StorageClass enableTagging: false)', expect: 'Denied', requests: [{ action: 'elasticfilesystem:CreateAccessPoint', resource: fs(R.fileSystem) }] },
  {
    call: 'CreateAccessPoint on a file system outside the scope',
    expect: 'Denied', upstream: 'Allowed',
    requests: [{ action: 'elasticfilesystem:CreateAccessPoint', resource: fs('fs-0fffffffffffffff0'), context: driverTags }],
  },
  {
    call: 'TagResource adding the driver tag to an existing access point (then deletable)',
    expect: 'Denied',
    requests: [{ action: 'elasticfilesystem:TagResource', resource: ap('fsap-0fffffffffffffff0'), context: driverTags }],
  },
  { call: 'DeleteAccessPoint of an access point without the driver tag', expect: 'Denied', requests: [{ action: 'elasticfilesystem:DeleteAccessPoint', resource: ap('fsap-0fffffffffffffff0'), context: { 'aws:ResourceTag/team': 'payments' } }] },
  { call: 'DeleteFileSystem', expect: 'Denied', requests: [{ action: 'elasticfilesystem:DeleteFileSystem', resource: fs(R.fileSystem) }] },
];
