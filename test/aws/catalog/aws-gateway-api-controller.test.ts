import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsGatewayApiControllerIdentity, AwsGatewayApiControllerIdentityProps } from '../../../lib';
import { ACCOUNT, R, REGION, platformCluster } from './catalog-app';
import { actionsOf, statementOf } from './entry-statements';

function entry(props: (stack: Stack) => Partial<AwsGatewayApiControllerIdentityProps> = () => ({})): AwsGatewayApiControllerIdentity {
  const stack = new Stack(new App(), 'Platform', { env: { account: ACCOUNT, region: REGION } });
  return new AwsGatewayApiControllerIdentity(stack, 'Gateway', { cluster: platformCluster(stack), ...props(stack) });
}
const bucket = (stack: Stack) => s3.Bucket.fromBucketName(stack, 'Bucket', R.bucket);

describe('AwsGatewayApiControllerIdentity', () => {
  test('the v2 controller finds its resources by tag (tag:GetResources, the real action), tags them and discovers certificates', () => {
    const actions = actionsOf(entry());
    expect(actions).toEqual(expect.arrayContaining(['tag:GetResources', 'tag:TagResources', 'tag:UntagResources', 'acm:ListCertificates']));
    expect(actions.filter(a => a.startsWith('tags:'))).toEqual([]);
  });

  test('access logs are opt-in: log deliveries with accessLogs, bucket policies only on the buckets given', () => {
    // GIVEN the default entry THEN it cannot create log deliveries or change any bucket policy
    const minimal = actionsOf(entry());
    for (const a of ['logs:CreateLogDelivery', 'logs:PutResourcePolicy', 'firehose:TagDeliveryStream', 's3:PutBucketPolicy']) { expect(minimal).not.toContain(a); }
    // GIVEN access logs to one bucket
    const e = entry(stack => ({ accessLogs: true, accessLogBuckets: [bucket(stack)] }));
    expect(statementOf(e, 'AccessLogDeliveries').Action).toEqual([
      'logs:CreateLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:PutResourcePolicy', 'firehose:TagDeliveryStream',
    ]);
    expect(statementOf(e, 'AccessLogBucketPolicies')).toMatchObject({ Action: ['s3:GetBucketPolicy', 's3:PutBucketPolicy'], Resource: `arn:aws:s3:::${R.bucket}` });
  });

  test('access log buckets without accessLogs is a mistake, named', () => {
    expect(() => entry(stack => ({ accessLogBuckets: [bucket(stack)] }))).toThrow(
      "AwsGatewayApiControllerIdentity 'Platform/Gateway' has accessLogBuckets but not accessLogs: set accessLogs to true to let the controller create access log subscriptions.");
  });

  test('Helm values: the cluster name, region, account and VPC, literal, so the controller needs no instance metadata', () => {
    const e = entry(stack => ({ vpc: ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: R.vpc, availabilityZones: [`${REGION}a`] }) }));
    expect(e.helmValues()).toEqual({
      clusterName: 'platform', awsRegion: REGION, awsAccountId: ACCOUNT, clusterVpcId: R.vpc,
      serviceAccount: { create: false, name: 'gateway-api-controller' },
    });
    expect(e.helmRelease()).toMatchObject({ chart: 'aws-gateway-controller-chart', version: 'v2.1.3', namespace: 'aws-application-networking-system' });
  });
});
