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
 * `docs/tutorials/aws.md` IAM policy at v0.22.0, with record changes, record
 * listing and tag reads only on the given zones; its Helm values filter
 * external-dns to those zones (`--zone-id-filter`, and `domainFilters` where
 * the zones' names are known), so it never asks for another zone's records.
 */
export class ExternalDnsIdentity extends HelmIdentity {
  private readonly hostedZones: HostedZoneScope;

  constructor(scope: Construct, id: string, props: ExternalDnsIdentityProps) {
    super(scope, id, props, {
      chart: { repository: 'https://kubernetes-sigs.github.io/external-dns', chart: 'external-dns', version: '1.21.1' },
      defaultNamespace: 'external-dns',
      defaultServiceAccountName: 'external-dns',
      upstream: {
        name: 'external-dns docs/tutorials/aws.md "IAM Policy"',
        url: 'https://github.com/kubernetes-sigs/external-dns/blob/v0.22.0/docs/tutorials/aws.md#iam-policy',
        version: 'v0.22.0',
        repository: 'kubernetes-sigs/external-dns',
        path: 'docs/tutorials/aws.md#iam-policy',
        ref: 'v0.22.0',
        date: '2026-08-19',
        narrowings: [
          'ChangeResourceRecordSets, ListResourceRecordSets and ListTagsForResources only on the given hosted zones (upstream: every zone); ' +
          'the Helm values filter external-dns to those zones, so it lists no other zone\'s records.',
        ],
      },
    });
    this.hostedZones = props.hostedZones;
    const zones = props.hostedZones.resourceArns(this);
    if (props.hostedZones.isBroad) {
      this.warnBroad('all-hosted-zones', `${this.node.path}: external-dns may change records in every hosted zone of the account (HostedZoneScope.allHostedZones()).`);
    }
    this.addStatements(
      // ListTagsForResources (plural) since v0.16: read for --aws-zone-tags filtering.
      allow('ChangeRecords', ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:ListTagsForResources'], zones),
      allow('ListZones', ['route53:ListHostedZones'], ['*']),
    );
    this.acknowledgeWildcards('route53:ListHostedZones has no resource-level permissions; record changes are limited to the given hosted zones.');
  }

  /**
   * The ServiceAccount, `provider.name: aws`, and the zone filters of the
   * scope: `--zone-id-filter` per zone and, where the zones' names are known,
   * `domainFilters`. Without them external-dns lists every zone of the
   * account and its sync fails on the first one its role may not read.
   */
  protected chartValues(): { [key: string]: any } {
    const ids = this.hostedZones.hostedZoneIds();
    const names = this.hostedZones.zoneNames();
    return {
      provider: { name: 'aws' },
      serviceAccount: this.serviceAccountValues(),
      ...(names.length > 0 ? { domainFilters: names } : {}),
      ...(ids.length > 0 ? { extraArgs: ids.map(id => `--zone-id-filter=${id}`) } : {}),
    };
  }
}
