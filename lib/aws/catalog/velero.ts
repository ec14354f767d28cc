import { Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CatalogIdentityProps } from './catalog-identity';
import { HelmIdentity } from './helm-identity';
import { allow } from './statement';

/** The velero-plugin-for-aws release the entry's policy is pinned to. */
const PLUGIN_VERSION = 'v1.13.2';

/** Props of `VeleroIdentity`. */
export interface VeleroIdentityProps extends CatalogIdentityProps {
  /** The backup bucket. */
  readonly bucket: s3.IBucket;

  /**
   * Only keys below this prefix (the BackupStorageLocation's `prefix`, e.g. `velero/`).
   *
   * @default - the whole bucket
   */
  readonly prefix?: string;

  /**
   * KMS keys of encrypted EBS volumes and snapshots it backs up and restores.
   *
   * @default - the bucket's key if it has one, nothing else
   */
  readonly kmsKeys?: kms.IKey[];
}

/**
 * Velero with the AWS plugin (Helm chart `velero`, `velero/velero-server`).
 * Follows velero-plugin-for-aws's README "Set permissions for Velero": the
 * backup bucket (and prefix), EBS snapshots, and the given keys.
 */
export class VeleroIdentity extends HelmIdentity {
  private readonly bucketName: string;
  private readonly prefix?: string;

  constructor(scope: Construct, id: string, props: VeleroIdentityProps) {
    super(scope, id, props, {
      chart: { repository: 'https://vmware-tanzu.github.io/helm-charts', chart: 'velero', version: '12.1.0' },
      defaultNamespace: 'velero',
      defaultServiceAccountName: 'velero-server',
      upstream: {
        name: 'vmware-tanzu/velero-plugin-for-aws README.md (Set permissions for Velero)',
        url: 'https://github.com/vmware-tanzu/velero-plugin-for-aws/blob/v1.13.2/README.md#set-permissions-for-velero',
        version: PLUGIN_VERSION,
        repository: 'vmware-tanzu/velero-plugin-for-aws',
        path: 'README.md',
        ref: PLUGIN_VERSION,
        date: '2025-12-31',
        additions: [
          { actions: ['kms:Decrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:DescribeKey'], reason: 'A backup bucket encrypted with SSE-KMS (GetObject decrypts, PutObject generates data keys) and EBS volumes restored from snapshots encrypted with a customer managed key; granted only on the bucket\'s key and kmsKeys.' },
          { actions: ['kms:CreateGrant'], reason: 'EBS holds a grant on the key of a volume restored from an encrypted snapshot; only grants for AWS resources (kms:GrantIsForAWSResource).' },
        ],
        narrowings: [
          'With prefix, object actions only below it (the BackupStorageLocation prefix); upstream: the whole bucket.',
        ],
      },
    });
    const prefix = props.prefix ?? '';
    this.bucketName = props.bucket.bucketName;
    this.prefix = prefix.replace(/\/+$/, '') || undefined;
    this.addStatements(
      allow('Ec2Describe', ['ec2:DescribeVolumes', 'ec2:DescribeSnapshots'], ['*']),
      allow('S3ReadWrite', ['s3:GetObject', 's3:DeleteObject', 's3:PutObject', 's3:PutObjectTagging', 's3:AbortMultipartUpload',
        's3:ListMultipartUploadParts'], [props.bucket.arnForObjects(`${prefix}*`)]),
      allow('S3List', ['s3:ListBucket'], [props.bucket.bucketArn]),
    );
    this.addWildcardWriteStatement(allow('Ec2Snapshots', ['ec2:CreateTags', 'ec2:CreateVolume', 'ec2:CreateSnapshot', 'ec2:DeleteSnapshot'], ['*']),
      'Upstream grants these on *: Velero snapshots whichever EBS volumes back the persistent volumes being backed up and restores volumes from its snapshots; neither carries a tag Velero sets before the call.');
    const keys = [...(props.kmsKeys ?? []), ...(props.bucket.encryptionKey ? [props.bucket.encryptionKey] : [])].map(k => k.keyArn);
    if (keys.length > 0) {
      // S3 SSE-KMS objects (GetObject: Decrypt; PutObject: GenerateDataKey) and EBS volumes restored from encrypted
      // snapshots (DescribeKey, GenerateDataKeyWithoutPlaintext, ReEncrypt*, and a grant EBS holds for the volume).
      this.addStatements(
        allow('Kms', ['kms:Decrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:DescribeKey'], keys),
        allow('KmsGrantsForEbs', ['kms:CreateGrant'], keys, { Bool: { 'kms:GrantIsForAWSResource': 'true' } }),
      );
    }
    this.acknowledgeWildcards('Upstream velero-plugin-for-aws policy: objects of one bucket (prefix wildcard); EBS snapshot actions on the volumes being backed up.');
  }

  /**
   * For the `velero` chart: no credentials secret (the pod uses this
   * identity), the AWS plugin of the pinned release as an init container,
   * the bucket and prefix as the default backup storage location and EBS
   * snapshots in the stack's region, and the server's ServiceAccount.
   */
  protected chartValues(): { [key: string]: any } {
    const region = Stack.of(this).region;
    return {
      credentials: { useSecret: false },
      initContainers: [{
        name: 'velero-plugin-for-aws', image: `velero/velero-plugin-for-aws:${PLUGIN_VERSION}`, imagePullPolicy: 'IfNotPresent',
        volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
      }],
      configuration: {
        backupStorageLocation: [{
          name: 'default', provider: 'aws', bucket: this.bucketName, ...(this.prefix ? { prefix: this.prefix } : {}), default: true, config: { region },
        }],
        volumeSnapshotLocation: [{ name: 'default', provider: 'aws', config: { region } }],
      },
      serviceAccount: { server: this.serviceAccountValues() },
    };
  }
}
