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
      chart: { repository: 'https://kubernetes.github.io/autoscaler', chart: 'cluster-autoscaler' },
      defaultNamespace: 'kube-system',
      defaultServiceAccountName: 'cluster-autoscaler',
      upstream: {
        name: 'kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/README.md (IAM policy)',
        url: 'https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/cloudprovider/aws/README.md',
        version: 'master as of 2025; actions as in terraform-aws-modules/terraform-aws-eks-pod-identity cluster_autoscaler.tf @ 066da8c',
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
