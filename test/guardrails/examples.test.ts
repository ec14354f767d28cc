import * as cdk from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';
import { IConstruct } from 'constructs';
import { EXAMPLES, ExampleOutput } from '../../examples';
import { acknowledgementsOn } from '../../lib/core/guardrails/acknowledgement';
import { KubernetesGuardrails } from '../../lib/k8s/guardrails';
import { CDK_JSON_CONTEXT } from '../cdk-json-context';
import { awsFindings } from './helpers';

test('every example passes both guardrails with no acknowledgement', () => {
  // GIVEN every example, built as bin/synth.ts does under cdk.json's context
  const awsApp = new cdk.App({ context: { ...CDK_JSON_CONTEXT, '@aws-cdk/core:failSynthOnValidationErrors': false } });
  const k8sApps = EXAMPLES.flatMap(example => {
    const output = new ExampleOutput(example.name, () => cdk8s.Testing.app());
    example.build(awsApp, output);
    return output.apps;
  });
  // THEN no finding at all, acknowledged or not, on either side
  expect(awsFindings(awsApp)).toEqual([]);
  expect(k8sApps.flatMap(k8sApp => KubernetesGuardrails.of(k8sApp)._findings())).toEqual([]);
  expect([awsApp, ...k8sApps].flatMap((app: IConstruct) => app.node.findAll().flatMap(c => acknowledgementsOn(c.node)))
    .filter(a => a.ruleId.startsWith('WI-'))).toEqual([]);
  // AND the charts synthesize with the guardrails the library turned on
  k8sApps.forEach(k8sApp => expect(() => k8sApp.synth()).not.toThrow());
});
