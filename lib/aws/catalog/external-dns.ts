import { Construct } from 'constructs';
import { CatalogIdentityProps } from './catalog-identity';
import { HelmIdentity } from './helm-identity';
import { HostedZoneScope } from './scopes';
import { allow } from './statement';

/** Props of `ExternalDnsIdentity`. */
export interface ExternalDnsIdentityProps extends CatalogIdentityProps {
  /** The hosted zones external-dns may change (`HostedZoneScope.allHostedZones()` is the broad choice). */
  readonly hostedZones: HostedZoneScope;
}

/**
 * external-dns with the Route 53 provider (Helm chart `external-dns`,
 * `external-dns/external-dns`). Follows external-dns's
 * `docs/tutorials/aws.md` IAM policy, with record changes, record listing
 * and tag reads only on the given zones.
 */
export class ExternalDnsIdentity extends HelmIdentity {
  constructor(scope: Construct, id: string, props: ExternalDnsIdentityProps) {
    super(scope, id, props, {
      chart: { repository: 'https://kubernetes-sigs.github.io/external-dns', chart: 'external-dns' },
      defaultNamespace: 'external-dns',
      defaultServiceAccountName: 'external-dns',
      upstream: {
        name: 'kubernetes-sigs/external-dns docs/tutorials/aws.md#iam-policy',
        url: 'https://github.com/kubernetes-sigs/external-dns/blob/master/docs/tutorials/aws.md#iam-policy',
        version: 'as mirrored by terraform-aws-modules/terraform-aws-eks-pod-identity external_dns.tf @ 40a789e',
      },
    });
    const zones = props.hostedZones.resourceArns(this);
    if (props.hostedZones.isBroad) {
      this.warnBroad('all-hosted-zones', `${this.node.path}: external-dns may change records in every hosted zone of the account (HostedZoneScope.allHostedZones()).`);
    }
    this.addStatements(
      allow('ChangeRecords', ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:ListTagsForResource'], zones),
      allow('ListZones', ['route53:ListHostedZones'], ['*']),
    );
    this.acknowledgeWildcards('route53:ListHostedZones has no resource-level permissions; record changes are limited to the given hosted zones.');
  }

  /** The ServiceAccount and `provider.name: aws`, for the `external-dns` chart. */
  public helmValues(): { [key: string]: any } {
    return { provider: { name: 'aws' }, serviceAccount: this.serviceAccountValues() };
  }
}
