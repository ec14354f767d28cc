#!/usr/bin/env node
// Synthesizes every example: CloudFormation to cdk.out/, Kubernetes YAML to dist/<example>/.
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';
import { EXAMPLES } from '../examples';

const awsApp = new cdk.App();
const k8sApps = EXAMPLES.map(example => {
  const k8sApp = new cdk8s.App({ outdir: path.join('dist', example.name), yamlOutputType: cdk8s.YamlOutputType.FILE_PER_CHART });
  example.build(awsApp, k8sApp);
  return k8sApp;
});
// The templates first: a validation error stops the run before any YAML is written.
awsApp.synth();
k8sApps.forEach(k8sApp => k8sApp.synth());
