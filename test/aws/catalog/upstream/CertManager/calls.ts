/**
 * cert-manager v1.21.1 Route 53 DNS-01 solver
 * (pkg/issuer/acme/dns/route53/route53.go): Present finds the zone with
 * ListHostedZonesByName (unless hostedZoneID is set), UPSERTs the TXT record
 * (ChangeResourceRecordSets) and polls GetChange; CleanUp DELETEs the record.
 */
import { R } from '../../catalog-app';
import { ControllerCalls } from '../controller-calls';

const zone = (id: string) => `arn:aws:route53:::hostedzone/${id}`;
const txt = (action: string) => ({
  'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'],
  'route53:ChangeResourceRecordSetsActions': [action],
  'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['_acme-challenge.shop.platform.example.com'],
});

export const calls: ControllerCalls = () => [
  { call: 'Present: ListHostedZonesByName', expect: 'Allowed', requests: [{ action: 'route53:ListHostedZonesByName', resource: '*' }] },
  { call: 'Present: UPSERT the challenge TXT record, then GetChange until INSYNC', expect: 'Allowed', requests: [{ action: 'route53:ChangeResourceRecordSets', resource: zone(R.zone), context: txt('UPSERT') }, { action: 'route53:GetChange', resource: 'arn:aws:route53:::change/C2682N5HXP0BZ4' }] },
  { call: 'CleanUp: DELETE the challenge TXT record', expect: 'Allowed', requests: [{ action: 'route53:ChangeResourceRecordSets', resource: zone(R.zone), context: txt('DELETE') }] },
  { call: 'change an A record in the zone', expect: 'Denied', requests: [{ action: 'route53:ChangeResourceRecordSets', resource: zone(R.zone), context: { 'route53:ChangeResourceRecordSetsRecordTypes': ['A'] } }] },
  { call: 'change TXT and CNAME records together', expect: 'Denied', requests: [{ action: 'route53:ChangeResourceRecordSets', resource: zone(R.zone), context: { 'route53:ChangeResourceRecordSetsRecordTypes': ['TXT', 'CNAME'] } }] },
  { call: 'a change that names no record types', expect: 'Denied', upstream: 'Allowed', requests: [{ action: 'route53:ChangeResourceRecordSets', resource: zone(R.zone) }] },
  { call: 'TXT record in another zone', expect: 'Denied', upstream: 'Allowed', requests: [{ action: 'route53:ChangeResourceRecordSets', resource: zone(R.otherZone), context: txt('UPSERT') }] },
  { call: 'DeleteHostedZone', expect: 'Denied', requests: [{ action: 'route53:DeleteHostedZone', resource: zone(R.zone) }] },
];
