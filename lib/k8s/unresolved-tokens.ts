import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { containsCdkToken, isCdkNumberToken } from '../core/cdk-token';
import { WorkloadIdentityError } from '../core/validation-error';

/** Each field of a manifest object that holds an unresolved aws-cdk-lib token, as 'path (value)'. */
export function unresolvedTokenFields(value: unknown, at: string = ''): string[] {
  if (typeof value === 'string') { return containsCdkToken(value) ? [`${at} ('${value}')`] : []; }
  if (typeof value === 'number') { return isCdkNumberToken(value) ? [`${at} (${value}, a number token)`] : []; }
  if (Array.isArray(value)) { return value.flatMap((v, i) => unresolvedTokenFields(v, `${at}[${i}]`)); }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [
      ...containsCdkToken(k) ? [`${at ? `${at}.` : ''}${k} (a key)`] : [],
      ...unresolvedTokenFields(v, at ? `${at}.${k}` : k),
    ]);
  }
  return [];
}

/**
 * Throws when any manifest holds an unresolved aws-cdk-lib token, naming each
 * object and field: YAML is applied as written, so `${Token[TOKEN.30]}`
 * would reach the cluster as that text.
 */
export function refuseUnresolvedTokens(manifests: any[], where: string): void {
  const found = manifests.flatMap(m => unresolvedTokenFields(m).map(field =>
    `${m?.kind ?? 'object'} '${m?.metadata?.namespace ? `${m.metadata.namespace}/` : ''}${m?.metadata?.name ?? '?'}' field ${field}`));
  if (found.length > 0) {
    throw new WorkloadIdentityError(`Unresolved CDK token in the YAML of ${where}: ${found.join('; ')}. `
      + 'A value CloudFormation knows only at deployment cannot be written at synth. Hand it to pods through a DeployTimeValue '
      + '(AWS side) and a DeployTimeConfigMap (Kubernetes side), which renders the deployed value from \'cdk deploy --outputs-file\', or use a literal name.');
  }
}

/** How a token looks in YAML text: a string token, a list element token, or a number token. */
const TOKEN_TEXT = /[$#]\{Token\[|-1\.888154589\d*e\+289/;

/**
 * Throws when the YAML `app` wrote into `dir` holds an unresolved token,
 * naming each object and field (read from the app's charts, only when the
 * text shows one: the happy path costs one read of each file).
 */
export function refuseUnresolvedTokensInFiles(app: App, dir: string, outdir: string): void {
  const files = fs.readdirSync(dir).filter(f => f.endsWith(app.outputFileExtension));
  const tainted = files.filter(f => TOKEN_TEXT.test(fs.readFileSync(path.join(dir, f), 'utf-8')));
  if (tainted.length === 0) { return; }
  refuseUnresolvedTokens(app.charts.flatMap(chart => chart.toJson()), `${outdir}/ (${tainted.join(', ')})`);
  throw new WorkloadIdentityError(`Unresolved CDK token in the YAML of ${outdir}/ (${tainted.join(', ')}); pass values known only at deployment through a DeployTimeValue and a DeployTimeConfigMap.`);
}
