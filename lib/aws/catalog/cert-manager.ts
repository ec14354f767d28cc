import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CatalogIdentityProps } from './catalog-identity';
import { HelmIdentity } from './helm-identity';
import { HostedZoneScope } from './scopes';
import { allow } from './statement';

/** Props of `CertManagerIdentity`. */
export interface CertManagerIdentityProps extends CatalogIdentityProps {
  /** The hosted zones cert-manager answers DNS-01 challenges in (`HostedZoneScope.allHostedZones()` is the broad choice). */
  readonly hostedZones: HostedZoneScope;
}

/**
 * cert-manager's Route 53 DNS-01 solver (Helm chart `cert-manager`,
 * `cert-manager/cert-manager`). Follows cert-manager's
 * `docs/configuration/acme/dns01/route53` IAM policy, with changes limited
 * to TXT records (all DNS-01 writes) in the given zones.
 */
export class CertManagerIdentity extends HelmIdentity {
  constructor(scope: Construct, id: string, props: CertManagerIdentityProps) {
    super(scope, id, props, {
      chart: { repository: 'https://charts.jetstack.io', chart: 'cert-manager', version: 'v1.21.1' },
      defaultNamespace: 'cert-manager',
      defaultServiceAccountName: 'cert-manager',
      upstream: {
        name: 'cert-manager website docs/configuration/acme/dns01/route53 (Set up an IAM Policy)',
        url: 'https://github.com/cert-manager/website/blob/776e5db/content/docs/configuration/acme/dns01/route53.md',
        version: '776e5db',
        repository: 'cert-manager/website',
        path: 'content/docs/configuration/acme/dns01/route53.md',
        ref: '776e5db',
        date: '2026-08-22',
        narrowings: [
          'ChangeResourceRecordSets and ListResourceRecordSets only on the given hosted zones; upstream: every zone.',
          'ChangeResourceRecordSets requires the record types to be named (Null condition): ForAllValues alone also holds for a request without them.',
        ],
      },
    });
    const zones = props.hostedZones.resourceArns(this);
    if (props.hostedZones.isBroad) {
      this.warnBroad('all-hosted-zones', `${this.node.path}: cert-manager may write TXT records in every hosted zone of the account (HostedZoneScope.allHostedZones()).`);
    }
    this.addStatements(
      allow('GetChange', ['route53:GetChange'], [`arn:${Stack.of(this).partition}:route53:::change/*`]),
      allow('ChallengeRecords', ['route53:ChangeResourceRecordSets'], zones,
        // ForAllValues holds vacuously when the key is absent: Null makes the record types required.
        { 'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'] }, 'Null': { 'route53:ChangeResourceRecordSetsRecordTypes': 'false' } }),
      allow('ListRecords', ['route53:ListResourceRecordSets'], zones),
      allow('FindZone', ['route53:ListHostedZonesByName'], ['*']),
    );
    this.acknowledgeWildcards('route53:ListHostedZonesByName has no resource-level permissions; change ids are random; TXT changes are limited to the given zones.');
  }

  /** The ServiceAccount, for the `cert-manager` chart. */
  protected chartValues(): { [key: string]: any } {
    return { serviceAccount: this.serviceAccountValues() };
  }
}
