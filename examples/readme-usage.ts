// The README's usage example, verbatim: test/readme.test.ts keeps them equal,
// and scripts/check-packed-usage.sh compiles it against the packed library.
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { WorkloadCluster, WorkloadIdentity, WorkloadServiceAccount } from 'cdk-eks-workload-identity';

const app = new App();
const stack = new Stack(app, 'Uploads', { env: { account: '123456789012', region: 'eu-west-1' } });

// An existing EKS cluster: Pod Identity is the default there.
const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus' });

// AWS side: the role, a trust policy for exactly uploads/upload on this
// cluster and the pod identity association. The agent add-on belongs to the
// cluster's owner: synth notes how to check it runs there.
const upload = new WorkloadIdentity(stack, 'Upload', {
  cluster,
  namespace: 'uploads',
  serviceAccountName: 'upload',
});
const bucket = new s3.Bucket(stack, 'Bucket', { enforceSSL: true });
bucket.grantPut(upload, 'incoming/*'); // write-only, below one prefix

// Kubernetes side, from the same binding: names cannot drift apart.
const k8sApp = new cdk8s.App({ outdir: 'dist' });
const chart = new cdk8s.Chart(k8sApp, 'uploads');
const serviceAccount = new WorkloadServiceAccount(chart, 'upload-sa', { binding: upload.primaryBinding });
new kplus.Deployment(chart, 'upload', {
  metadata: { namespace: 'uploads' },
  serviceAccount, // pods run as uploads/upload, never 'default'
  containers: [{ image: 'public.ecr.aws/campus/upload:0.9.0', securityContext: { user: 1000 } }],
});

app.synth();
k8sApp.synth();
