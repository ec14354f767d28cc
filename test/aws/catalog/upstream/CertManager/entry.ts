import * as route53 from 'aws-cdk-lib/aws-route53';
import { CertManagerIdentity, HostedZoneScope } from '../../../../../lib';
import { R } from '../../catalog-app';
import { UpstreamCase } from '../upstream-diff';

/** The zones are a required input: minimal and full are the same. */
export const upstreamCase: UpstreamCase = {
  key: 'CertManager',
  build: (stack, cluster) => new CertManagerIdentity(stack, 'CertManager', {
    cluster,
    hostedZones: HostedZoneScope.of([route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: R.zone, zoneName: 'platform.example.com' })]),
  }),
  placeholderValues: {},
};
