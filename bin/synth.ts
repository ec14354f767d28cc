#!/usr/bin/env node
// Synthesizes every example: CloudFormation to cdk.out/, Kubernetes YAML to
// dist/<example>/<cluster>/ (one `kubectl apply -f` per cluster) and the
// examples' bindings files to dist/<example>/; nothing to dist/ if either side fails.
import * as cdk from 'aws-cdk-lib';
import { EXAMPLES } from '../examples';
import { synthExamples } from '../examples/synth';

synthExamples(new cdk.App(), EXAMPLES, 'dist');
