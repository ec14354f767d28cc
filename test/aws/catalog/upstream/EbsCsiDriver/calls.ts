/**
 * The EBS CSI driver's controller v1.64.0 run with --k8s-tag-cluster-id
 * (kubernetes-sigs/aws-ebs-csi-driver at the tag): pkg/driver/controller.go
 * tags volumes and snapshots with CSIVolumeName / CSIVolumeSnapshotName,
 * ebs.csi.aws.com/cluster=true, ebs.csi.aws.com/cluster-name=<cluster>
 * (ClusterNameTagKey) and the PVC's names; pkg/cloud/cloud.go calls
 * CreateVolume (tagged at creation; from a snapshot: the snapshot too),
 * AttachVolume/DetachVolume (volume and the node's instance, which EKS tags
 * eks:cluster-name), ModifyVolume, DeleteVolume, CreateSnapshot,
 * DeleteSnapshot, LockSnapshot, EnableFastSnapshotRestores, CopyVolumes and
 * the Describe calls; encrypted volumes make EBS use the key with the
 * caller's permission (CreateGrant for an AWS resource, GenerateDataKeyWithoutPlaintext, Decrypt).
 */
import { ACCOUNT, CLUSTER, R, REGION } from '../../catalog-app';
import { AuthorizationRequest, ControllerCalls } from '../controller-calls';

const OTHER = 'other-cluster';
const ec2 = (resource: string) => `arn:aws:ec2:${REGION}:${ACCOUNT}:${resource}`;
const driverTags = (cluster: string) => ({ 'ebs.csi.aws.com/cluster': 'true', 'ebs.csi.aws.com/cluster-name': cluster, 'CSIVolumeName': 'pvc-1', 'kubernetes.io/created-for/pvc/name': 'data' });
const requestTags = (cluster: string, extra: Record<string, string> = {}) => {
  const tags = { ...driverTags(cluster), ...extra };
  return { ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])), 'aws:TagKeys': Object.keys(tags) };
};
const resourceTags = (cluster: string) => Object.fromEntries(Object.entries(driverTags(cluster)).map(([k, v]) => [`ec2:ResourceTag/${k}`, v]));
const node = (cluster: string) => ({ action: '', resource: ec2('instance/i-0123456789abcdef0'), context: { 'ec2:ResourceTag/eks:cluster-name': cluster } });

function attach(cluster: string, instanceCluster: string): AuthorizationRequest[] {
  return [
    { action: 'ec2:AttachVolume', resource: ec2('volume/vol-1'), context: resourceTags(cluster) },
    { ...node(instanceCluster), action: 'ec2:AttachVolume' },
  ];
}

export const calls: ControllerCalls = () => [
  { call: 'CreateVolume (dynamic provisioning), tagged at creation', expect: 'Allowed', requests: [
    { action: 'ec2:CreateVolume', resource: ec2('volume/*'), context: requestTags(CLUSTER) },
    { action: 'ec2:CreateTags', resource: ec2('volume/*'), context: { ...requestTags(CLUSTER), 'ec2:CreateAction': 'CreateVolume' } },
  ] },
  { call: 'CreateVolume from a snapshot of this cluster', expect: 'Allowed', requests: [
    { action: 'ec2:CreateVolume', resource: ec2('volume/*'), context: requestTags(CLUSTER) },
    { action: 'ec2:CreateVolume', resource: `arn:aws:ec2:${REGION}::snapshot/snap-1`, context: resourceTags(CLUSTER) },
  ] },
  { call: 'ControllerPublish/Unpublish: AttachVolume, DetachVolume on a node of this cluster', expect: 'Allowed', requests: [
    ...attach(CLUSTER, CLUSTER),
    { action: 'ec2:DetachVolume', resource: ec2('volume/vol-1'), context: resourceTags(CLUSTER) },
    { ...node(CLUSTER), action: 'ec2:DetachVolume' },
  ] },
  { call: 'ControllerModifyVolume, DeleteVolume, CopyVolumes (volume cloning)', expect: 'Allowed', requests: [
    { action: 'ec2:ModifyVolume', resource: ec2('volume/vol-1'), context: resourceTags(CLUSTER) },
    { action: 'ec2:DeleteVolume', resource: ec2('volume/vol-1'), context: resourceTags(CLUSTER) },
    { action: 'ec2:CopyVolumes', resource: ec2('volume/vol-1'), context: resourceTags(CLUSTER) },
    { action: 'ec2:CopyVolumes', resource: ec2('volume/*'), context: requestTags(CLUSTER) },
    { action: 'ec2:CreateTags', resource: ec2('volume/*'), context: { ...requestTags(CLUSTER), 'ec2:CreateAction': 'CopyVolumes' } },
  ] },
  { call: 'snapshots: CreateSnapshot, DeleteSnapshot, LockSnapshot, EnableFastSnapshotRestores', expect: 'Allowed', requests: [
    { action: 'ec2:CreateSnapshot', resource: ec2('volume/vol-1'), context: resourceTags(CLUSTER) },
    // The new snapshot's ARN (iam-simulate matches no request ARN of the form '::snapshot/*').
    { action: 'ec2:CreateSnapshot', resource: `arn:aws:ec2:${REGION}::snapshot/snap-0new`, context: requestTags(CLUSTER, { CSIVolumeSnapshotName: 'snapshot-1' }) },
    { action: 'ec2:CreateTags', resource: `arn:aws:ec2:${REGION}::snapshot/snap-0new`, context: { ...requestTags(CLUSTER), 'ec2:CreateAction': 'CreateSnapshot' } },
    { action: 'ec2:DeleteSnapshot', resource: `arn:aws:ec2:${REGION}::snapshot/snap-1`, context: resourceTags(CLUSTER) },
    { action: 'ec2:LockSnapshot', resource: `arn:aws:ec2:${REGION}::snapshot/snap-1`, context: resourceTags(CLUSTER) },
    { action: 'ec2:EnableFastSnapshotRestores', resource: `arn:aws:ec2:${REGION}::snapshot/snap-1`, context: resourceTags(CLUSTER) },
  ] },
  { call: 'Describe: volumes, status, modifications, snapshots, instance types, zones', expect: 'Allowed', requests:
    ['DescribeVolumes', 'DescribeVolumeStatus', 'DescribeVolumesModifications', 'DescribeSnapshots', 'DescribeInstanceTypes', 'DescribeInstances', 'DescribeAvailabilityZones']
      .map(a => ({ action: `ec2:${a}`, resource: '*' })) },
  { call: 'an encrypted volume under the customer managed key', expect: 'Allowed', requests: [
    { action: 'kms:CreateGrant', resource: R.key, context: { 'kms:GrantIsForAWSResource': 'true' } },
    { action: 'kms:GenerateDataKeyWithoutPlaintext', resource: R.key },
    { action: 'kms:Decrypt', resource: R.key },
    { action: 'kms:DescribeKey', resource: R.key },
  ] },
  // Out of scope.
  { call: 'DeleteVolume of another cluster\'s CSI volume', expect: 'Denied', requests: [{ action: 'ec2:DeleteVolume', resource: ec2('volume/vol-2'), context: resourceTags(OTHER) }] },
  { call: 'AttachVolume of this cluster\'s volume to another cluster\'s node', expect: 'Denied', requests: attach(CLUSTER, OTHER) },
  { call: 'AttachVolume of another cluster\'s volume', expect: 'Denied', requests: attach(OTHER, CLUSTER) },
  { call: 'CreateVolume tagged for another cluster', expect: 'Denied', requests: [{ action: 'ec2:CreateVolume', resource: ec2('volume/*'), context: requestTags(OTHER) }] },
  { call: 'DeleteSnapshot of another cluster', expect: 'Denied', requests: [{ action: 'ec2:DeleteSnapshot', resource: `arn:aws:ec2:${REGION}::snapshot/snap-2`, context: resourceTags(OTHER) }] },
  { call: 'a grant not for an AWS resource', expect: 'Denied', requests: [{ action: 'kms:CreateGrant', resource: R.key, context: { 'kms:GrantIsForAWSResource': 'false' } }] },
  { call: 'another key', expect: 'Denied', requests: [{ action: 'kms:Decrypt', resource: R.otherKey }] },
  { call: 'retag a volume\'s cluster', expect: 'Denied', requests: [{ action: 'ec2:CreateTags', resource: ec2('volume/vol-1'), context: { ...resourceTags(CLUSTER), 'aws:RequestTag/ebs.csi.aws.com/cluster-name': OTHER, 'aws:TagKeys': ['ebs.csi.aws.com/cluster-name'] } }] },
  { call: 'terminate an instance', expect: 'Denied', requests: [{ action: 'ec2:TerminateInstances', resource: ec2('instance/i-1') }] },
];
