import * as route53 from 'aws-cdk-lib/aws-route53';
import { ExternalDnsIdentity, HostedZoneScope } from '../../../../../lib';
import { R } from '../../catalog-app';
import { UpstreamCase } from '../upstream-diff';

/** external-dns takes its zones as a required input: minimal and full are the same. */
export const upstreamCase: UpstreamCase = {
  key: 'ExternalDns',
  build: (stack, cluster) => new ExternalDnsIdentity(stack, 'ExternalDns', {
    cluster,
    hostedZones: HostedZoneScope.of([route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: R.zone, zoneName: 'platform.example.com' })]),
  }),
  placeholderValues: {},
};
