import { App, Stack } from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';
import { GuardrailFinding } from '../../lib/core/guardrails/guardrail-level';
import { WorkloadIdentityGuardrails, WorkloadIdentityGuardrailsProps } from '../../lib/aws/guardrails';
import { KubernetesGuardrails, KubernetesGuardrailsOptions } from '../../lib/k8s/guardrails';
import { ACCOUNT, REGION } from '../fixtures';

/** An app that reports validation findings instead of throwing, so tests read every finding. */
export function reportingApp(): App {
  return new App({ context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
}

export function reportingStack(id = 'Test', region = REGION, app = reportingApp()): Stack {
  return new Stack(app, id, { env: { account: ACCOUNT, region } });
}

/** Synthesizes the app and runs the AWS rules on its templates: every finding, acknowledged ones too. */
export function awsFindings(scope: Stack | App, props: WorkloadIdentityGuardrailsProps = {}): GuardrailFinding[] {
  const app = App.isApp(scope) ? scope : scope.node.root as App;
  const assembly = app.synth();
  const known = (v: string) => v.startsWith('unknown-') ? undefined : v;
  const stackTemplates = assembly.stacksRecursively.map(s => ({
    stackConstructPath: s.hierarchicalId, templatePath: s.templateFullPath, accountId: known(s.environment.account), region: known(s.environment.region),
  }));
  return new WorkloadIdentityGuardrails(props)._findings({ templatePaths: stackTemplates.map(s => s.templatePath), stackTemplates, appConstruct: app });
}

/** `<rule> <message>` of each finding of `ruleId` that is not acknowledged. */
export function open(findings: GuardrailFinding[], ruleId?: string): string[] {
  return findings.filter(f => f.acknowledgedReason === undefined && (ruleId === undefined || f.ruleId === ruleId)).map(f => `${f.ruleId} ${f.message}`);
}

/** The Kubernetes findings of a chart or app. */
export function k8sFindings(scope: cdk8s.Chart | cdk8s.App, options?: KubernetesGuardrailsOptions): GuardrailFinding[] {
  return KubernetesGuardrails.of(scope, options)._findings();
}

export function newChart(namespace?: string): cdk8s.Chart {
  return new cdk8s.Chart(cdk8s.Testing.app(), 'test', { namespace });
}

/** The message synthesis fails with, or '' if it succeeds. */
export function synthError(synth: () => unknown): string {
  try {
    synth();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}
