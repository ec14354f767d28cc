import { App, Stack } from 'aws-cdk-lib';
import { FsxCsiDriverIdentity } from '../../../lib';
import { ACCOUNT, REGION, platformCluster } from './catalog-app';
import { statementOf } from './entry-statements';

function entry(): FsxCsiDriverIdentity {
  const stack = new Stack(new App(), 'Platform', { env: { account: ACCOUNT, region: REGION } });
  return new FsxCsiDriverIdentity(stack, 'FsxCsiDriver', { cluster: platformCluster(stack) });
}

describe('FsxCsiDriverIdentity', () => {
  const fileSystems = `arn:aws:fsx:${REGION}:${ACCOUNT}:file-system/*`;

  test('volume expansion: UpdateFileSystem (ResizeFileSystem), on the file systems the driver created', () => {
    expect(statementOf(entry(), 'ManageDriverFileSystems')).toEqual({
      Sid: 'ManageDriverFileSystems', Effect: 'Allow',
      Action: ['fsx:DeleteFileSystem', 'fsx:UpdateFileSystem'],
      Resource: fileSystems,
      Condition: { Null: { 'aws:ResourceTag/CSIVolumeName': 'false' } },
    });
  });

  test('creates file systems only with the CSIVolumeName tag the driver always sets', () => {
    expect(statementOf(entry(), 'CreateTaggedFileSystems')).toEqual({
      Sid: 'CreateTaggedFileSystems', Effect: 'Allow',
      Action: ['fsx:CreateFileSystem', 'fsx:TagResource'],
      Resource: fileSystems,
      Condition: { Null: { 'aws:RequestTag/CSIVolumeName': 'false' } },
    });
  });
});
