import { Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CatalogIdentityProps } from './catalog-identity';
import { HelmIdentity } from './helm-identity';
import { allow } from './statement';

/** Props of `FsxCsiDriverIdentity`. */
export interface FsxCsiDriverIdentityProps extends CatalogIdentityProps {
  /**
   * Buckets linked as data repositories of the Lustre file systems it creates.
   *
   * @default - none: no S3 permission
   */
  readonly dataRepositoryBuckets?: s3.IBucket[];
}

/**
 * The FSx for Lustre CSI driver's controller (Helm chart
 * `aws-fsx-csi-driver`, `kube-system/fsx-csi-controller-sa`). Follows the
 * driver's `docs/install.md` policy at v1.9.0: file systems in the stack's
 * account and region (deleted and resized only when the driver created
 * them), the FSx service-linked roles, and S3 only on the buckets you link.
 */
export class FsxCsiDriverIdentity extends HelmIdentity {
  constructor(scope: Construct, id: string, props: FsxCsiDriverIdentityProps) {
    super(scope, id, props, {
      chart: { repository: 'https://kubernetes-sigs.github.io/aws-fsx-csi-driver', chart: 'aws-fsx-csi-driver', version: '1.17.0' },
      defaultNamespace: 'kube-system',
      defaultServiceAccountName: 'fsx-csi-controller-sa',
      upstream: {
        name: 'kubernetes-sigs/aws-fsx-csi-driver docs/install.md (driver permissions)',
        url: 'https://github.com/kubernetes-sigs/aws-fsx-csi-driver/blob/v1.9.0/docs/install.md',
        version: 'v1.9.0',
        repository: 'kubernetes-sigs/aws-fsx-csi-driver',
        path: 'docs/install.md',
        ref: 'v1.9.0',
        date: '2026-04-20',
        omitted: [
          {
            actions: ['s3:ListBucket'],
            reason: 'Upstream lets the driver list every bucket; only the buckets you link as data repositories need it.',
            feature: 'Lustre file systems linked to an S3 data repository (StorageClass s3ImportPath / s3ExportPath)',
            option: 'dataRepositoryBuckets',
          },
        ],
        narrowings: [
          'CreateFileSystem and TagResource only with the CSIVolumeName tag the driver always sets (pkg/cloud/cloud.go); DeleteFileSystem and UpdateFileSystem only on file systems carrying it, so file systems made outside the driver are never deleted or resized; all in the stack\'s account and region (upstream: any file system).',
          'The service-linked roles only in the stack\'s account (upstream: any account).',
          's3:ListBucket only on dataRepositoryBuckets.',
        ],
      },
    });
    this.addStatements(
      allow('S3DataRepositoryServiceLinkedRole', ['iam:CreateServiceLinkedRole', 'iam:AttachRolePolicy', 'iam:PutRolePolicy'],
        [this.arnIn('iam', '', Stack.of(this).account, 'role/aws-service-role/s3.data-source.lustre.fsx.amazonaws.com/*')]),
      allow('FsxServiceLinkedRole', ['iam:CreateServiceLinkedRole'], ['*'], { StringLike: { 'iam:AWSServiceName': 'fsx.amazonaws.com' } }),
      // The driver tags every file system it creates with CSIVolumeName (pkg/cloud/cloud.go): it deletes and
      // resizes (ControllerExpandVolume -> UpdateFileSystem) only those, never a file system made outside it.
      allow('CreateTaggedFileSystems', ['fsx:CreateFileSystem', 'fsx:TagResource'], [this.arn('fsx', 'file-system/*')], { Null: { 'aws:RequestTag/CSIVolumeName': 'false' } }),
      allow('ManageDriverFileSystems', ['fsx:DeleteFileSystem', 'fsx:UpdateFileSystem'], [this.arn('fsx', 'file-system/*')], { Null: { 'aws:ResourceTag/CSIVolumeName': 'false' } }),
      allow('DescribeFileSystems', ['fsx:DescribeFileSystems'], ['*']),
    );
    const buckets = (props.dataRepositoryBuckets ?? []).map(b => b.bucketArn);
    if (buckets.length > 0) { this.addStatements(allow('DataRepositoryBuckets', ['s3:ListBucket'], buckets)); }
    this.acknowledgeWildcards('Upstream FSx CSI policy: file systems are named by FSx at creation, so the driver gets the account and region\'s file-system/*; DescribeFileSystems has no resource-level permissions.');
  }

  protected chartValues(): { [key: string]: any } {
    return { controller: { serviceAccount: this.serviceAccountValues() } };
  }
}
