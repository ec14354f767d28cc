// The README's minimal app (bin/app.ts there), verbatim: test/readme.test.ts keeps them equal,
// and scripts/check-packed-install.sh synthesizes the README's copy against the packed library.
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  DeployTimeConfigMap, DeployTimeValue, WorkloadChart, WorkloadCluster, WorkloadIdentity, WorkloadOutputs,
} from 'cdk-eks-workload-identity';

const app = new App();
const stack = new Stack(app, 'Uploads', { env: { account: '123456789012', region: 'eu-west-1' } });

// An existing EKS cluster, known by its name: Pod Identity is the default there.
const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus' });

// AWS side: an iam.Role whose trust admits exactly uploads/upload on this cluster,
// and its pod identity association.
const upload = new WorkloadIdentity(stack, 'Upload', { cluster, namespace: 'uploads', serviceAccountName: 'upload' });
const bucket = new s3.Bucket(stack, 'Bucket', { enforceSSL: true });
bucket.grantPut(upload, 'incoming/*'); // write-only, below one prefix
// The bucket's generated name exists only once deployed: a stack output, which `cdk deploy --outputs-file` writes.
const bucketName = new DeployTimeValue(stack, 'BucketName', { value: bucket.bucketName });

// Kubernetes side, from the same binding: one cdk8s app, and one folder, per cluster.
const campus = new cdk8s.App({ outdir: 'dist/campus' });
const chart = new WorkloadChart(campus, 'upload', { binding: upload.primaryBinding }); // namespace 'uploads' and its ServiceAccount
const settings = new DeployTimeConfigMap(chart, 'settings', {
  metadata: { name: 'upload-settings' },
  values: { BUCKET_NAME: bucketName.reference }, // the deployed name, read from cdk-outputs.json
});
new kplus.Deployment(chart, 'upload', {
  metadata: { name: 'upload' },         // else cdk8s names it upload-<hash>
  serviceAccount: chart.serviceAccount, // runs as uploads/upload, in namespace uploads
  containers: [{
    image: 'public.ecr.aws/campus/upload:0.9.0',
    securityContext: { user: 1000 },
    envVariables: { BUCKET_NAME: kplus.EnvValue.fromConfigMap(settings, 'BUCKET_NAME') },
  }],
});

app.synth();                               // templates to cdk.out/; throws on any error first
WorkloadOutputs.synth({ apps: [campus] }); // then dist/campus/, written only if every cluster's YAML passed
