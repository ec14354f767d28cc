/**
 * external-dns v0.22.0 with the Route 53 provider (provider/aws/aws.go):
 * `zones()` lists every hosted zone (ListHostedZones), keeps those its
 * filters match (`--zone-id-filter`: the id ends with a filter; `domainFilters`:
 * the zone's name is a filter or under one), reads their tags only with
 * `--aws-zone-tags` (ListTagsForResources, batches of zones), then lists and
 * changes records (ListResourceRecordSets, ChangeResourceRecordSets) in each
 * kept zone. The account holds three zones; the entry is scoped to one.
 */
import { HelmIdentity } from '../../../../../lib';
import { R } from '../../catalog-app';
import { ControllerCall, ControllerCalls } from '../controller-calls';

const ACCOUNT_ZONES = [
  { id: R.zone, name: 'platform.example.com' },
  { id: 'Z0PLATFORMDEV0000001', name: 'dev.platform.example.com' },
  { id: R.otherZone, name: 'other.example.com' },
];
const zoneArn = (id: string) => `arn:aws:route53:::hostedzone/${id}`;

/** The zones external-dns keeps, applying its filters (provider/zone_id_filter.go, endpoint/domain_filter.go) to the rendered values. */
function keptZones(values: any): typeof ACCOUNT_ZONES {
  const idFilters = ((values.extraArgs ?? []) as string[]).filter(a => a.startsWith('--zone-id-filter=')).map(a => a.split('=')[1]);
  const domainFilters = (values.domainFilters ?? []) as string[];
  return ACCOUNT_ZONES
    .filter(z => idFilters.length === 0 || idFilters.some(f => z.id.endsWith(f)))
    .filter(z => domainFilters.length === 0 || domainFilters.some(d => z.name === d || z.name.endsWith(`.${d}`)));
}

export const calls: ControllerCalls = entry => {
  const values = (entry as HelmIdentity).helmValues();
  const kept = keptZones(values);
  const result: ControllerCall[] = [
    { call: 'zones(): ListHostedZones, paginated', expect: 'Allowed', requests: [{ action: 'route53:ListHostedZones', resource: '*' }] },
  ];
  for (const z of kept) {
    result.push(
      { call: `records(): ListResourceRecordSets in kept zone ${z.name}`, expect: 'Allowed', requests: [{ action: 'route53:ListResourceRecordSets', resource: zoneArn(z.id) }] },
      { call: `submitChanges(): ChangeResourceRecordSets in kept zone ${z.name}`, expect: 'Allowed', requests: [{ action: 'route53:ChangeResourceRecordSets', resource: zoneArn(z.id) }] },
      { call: `tagsForZone(): ListTagsForResources with --aws-zone-tags, zone ${z.name}`, expect: 'Allowed', requests: [{ action: 'route53:ListTagsForResources', resource: zoneArn(z.id) }] },
    );
  }
  result.push(
    { call: 'ChangeResourceRecordSets in another zone of the account', expect: 'Denied', upstream: 'Allowed', requests: [{ action: 'route53:ChangeResourceRecordSets', resource: zoneArn(R.otherZone) }] },
    { call: 'ListResourceRecordSets in a sub-zone outside the scope', expect: 'Denied', upstream: 'Allowed', requests: [{ action: 'route53:ListResourceRecordSets', resource: zoneArn('Z0PLATFORMDEV0000001') }] },
    { call: 'delete a hosted zone', expect: 'Denied', requests: [{ action: 'route53:DeleteHostedZone', resource: zoneArn(R.zone) }] },
  );
  return result;
};
