import { App, Stack } from 'aws-cdk-lib';
import { EfsCsiDriverIdentity, EfsCsiDriverIdentityProps } from '../../../lib';
import { ACCOUNT, REGION, platformCluster } from './catalog-app';
import { actionsOf, statementOf } from './entry-statements';

function entry(props: Partial<EfsCsiDriverIdentityProps> = {}): EfsCsiDriverIdentity {
  const stack = new Stack(new App(), 'Platform', { env: { account: ACCOUNT, region: REGION } });
  return new EfsCsiDriverIdentity(stack, 'EfsCsiDriver', { cluster: platformCluster(stack), ...props });
}

describe('EfsCsiDriverIdentity', () => {
  test('tags only access points it is creating: TagResource needs the CreateAccessPoint action and the driver tag', () => {
    // GIVEN the scoped entry WHEN synthesized THEN tagging an existing access point (which would make it deletable) is not allowed
    expect(statementOf(entry(), 'TagOnCreate')).toMatchObject({
      Action: 'elasticfilesystem:TagResource',
      Resource: `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:access-point/*`,
      Condition: {
        StringEquals: { 'elasticfilesystem:CreateAction': 'CreateAccessPoint' },
        StringLike: { 'aws:RequestTag/efs.csi.aws.com/cluster': 'true' },
      },
    });
  });

  test('S3 Files access points (provisioningMode s3files-ap) are opt-in, with the same tag scoping', () => {
    // GIVEN the entry without and with s3Files
    expect(actionsOf(entry()).filter(a => a.startsWith('s3files:'))).toEqual([]);
    const e = entry({ s3Files: true });
    // THEN the driver's S3 Files calls are granted, created and deleted only with the driver's tag
    expect(statementOf(e, 'S3FilesCreateTaggedAccessPoint')).toMatchObject({
      Action: 's3files:CreateAccessPoint',
      Resource: `arn:aws:s3files:${REGION}:${ACCOUNT}:file-system/*`,
      Condition: { StringLike: { 'aws:RequestTag/efs.csi.aws.com/cluster': 'true' } },
    });
    expect(statementOf(e, 'S3FilesTagOnCreate').Condition.StringEquals).toEqual({ 's3files:CreateAction': 'CreateAccessPoint' });
    expect(statementOf(e, 'S3FilesDeleteDriverAccessPoint')).toMatchObject({
      Action: 's3files:DeleteAccessPoint',
      Condition: { StringEquals: { 'aws:ResourceTag/efs.csi.aws.com/cluster': 'true' } },
    });
    expect(statementOf(e, 'S3FilesDescribe').Action).toEqual(['s3files:ListAccessPoints', 's3files:ListFileSystems']);
  });
});
