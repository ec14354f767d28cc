import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CatalogIdentityProps } from './catalog-identity';
import { HelmIdentity } from './helm-identity';
import { allow } from './statement';

/**
 * The Kubernetes Cluster Autoscaler on AWS (Helm chart `cluster-autoscaler`,
 * `kube-system/cluster-autoscaler`). Follows the autoscaler's
 * `cloudprovider/aws/README.md` "Full Cluster Autoscaler Features Policy":
 * it scales and terminates only Auto Scaling groups tagged
 * `k8s.io/cluster-autoscaler/enabled = true` and
 * `k8s.io/cluster-autoscaler/<this cluster> = owned`.
 */
export class ClusterAutoscalerIdentity extends HelmIdentity {
  private readonly clusterName: string;

  constructor(scope: Construct, id: string, props: CatalogIdentityProps) {
    super(scope, id, props, {
      chart: { repository: 'https://kubernetes.github.io/autoscaler', chart: 'cluster-autoscaler', version: '9.59.0' },
      defaultNamespace: 'kube-system',
      defaultServiceAccountName: 'cluster-autoscaler',
      upstream: {
        name: 'kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/README.md (Full Cluster Autoscaler Features Policy)',
        url: 'https://github.com/kubernetes/autoscaler/blob/cluster-autoscaler-1.36.1/cluster-autoscaler/cloudprovider/aws/README.md#full-cluster-autoscaler-features-policy-recommended',
        version: '1.36.1',
        repository: 'kubernetes/autoscaler',
        path: 'cluster-autoscaler/cloudprovider/aws/README.md',
        ref: 'cluster-autoscaler-1.36.1',
        date: '2026-07-22',
        narrowings: [
          'SetDesiredCapacity and TerminateInstanceInAutoScalingGroup only on groups tagged k8s.io/cluster-autoscaler/enabled = true and k8s.io/cluster-autoscaler/<cluster> = owned, as the README recommends (upstream\'s example: any group).',
          'eks:DescribeNodegroup only on this cluster\'s node groups.',
        ],
      },
    });
    this.clusterName = this.literalClusterName(props.cluster, 'Auto Scaling groups');
    this.addStatements(
      allow('ScaleOwnNodeGroups', ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'], ['*'], {
        StringEquals: {
          'aws:ResourceTag/k8s.io/cluster-autoscaler/enabled': 'true',
          [`aws:ResourceTag/k8s.io/cluster-autoscaler/${this.clusterName}`]: 'owned',
        },
      }),
      allow('Describe', ['autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeAutoScalingInstances', 'autoscaling:DescribeLaunchConfigurations',
        'autoscaling:DescribeScalingActivities', 'ec2:DescribeImages', 'ec2:DescribeInstanceTypes',
        'ec2:DescribeLaunchTemplateVersions', 'ec2:GetInstanceTypesFromInstanceRequirements'], ['*']),
      allow('DescribeNodegroups', ['eks:DescribeNodegroup'], [this.arn('eks', `nodegroup/${this.clusterName}/*`)]),
    );
    this.acknowledgeWildcards('Upstream autoscaler policy: scaling is scoped by the cluster\'s Auto Scaling group tags (conditions); Describe* has no resource-level permissions.');
  }

  /** Auto-discovery of this cluster's groups, the region and the ServiceAccount, for the `cluster-autoscaler` chart. */
  protected chartValues(): { [key: string]: any } {
    return {
      autoDiscovery: { clusterName: this.clusterName },
      awsRegion: Stack.of(this).region,
      rbac: { serviceAccount: this.serviceAccountValues() },
    };
  }
}
