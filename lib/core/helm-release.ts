import { containsCdkToken } from './cdk-token';
import { WorkloadIdentityError } from './validation-error';

/**
 * A Helm release of a controller whose identity the AWS side declared: the
 * chart at the version its values were checked against, the namespace, and
 * the values (literal: no token). The AWS side makes it
 * (`HelmIdentity.helmRelease()`); the Kubernetes side writes it next to the
 * cluster's manifests (`WorkloadOutputs.synth({ helmReleases })`).
 */
export interface HelmRelease {
  /** Release name, e.g. `karpenter`. */
  readonly release: string;
  /** Namespace the release is installed into. */
  readonly namespace: string;
  /** Chart repository: an `https://` Helm repository or an `oci://` registry path. */
  readonly repository: string;
  /** Chart name. */
  readonly chart: string;
  /**
   * Chart version the values were checked against.
   *
   * @default - none named: the install line takes the chart's latest version
   */
  readonly version?: string;
  /** The values: literal JSON (strings, numbers, booleans, lists, maps). */
  readonly values: { [key: string]: any };
}

/** The `helm install` line of a release, reading `<release>.values.yaml` beside it. */
export function helmInstallCommand(release: HelmRelease): string {
  const chart = release.repository.startsWith('oci://')
    ? `${release.repository.replace(/\/$/, '')}/${release.chart}`
    : `${release.chart} --repo ${release.repository}`;
  const version = release.version ? ` --version ${release.version}` : '';
  return `helm install ${release.release} ${chart}${version} --namespace ${release.namespace} -f ${release.release}.values.yaml`;
}

/**
 * Paths (`settings.clusterName`) of values that are not literal: an
 * unresolved token, or a CloudFormation intrinsic left by resolving one.
 */
export function unresolvedValuePaths(value: unknown, at = ''): string[] {
  if (typeof value === 'string') { return containsCdkToken(value) ? [at] : []; }
  if (Array.isArray(value)) { return value.flatMap((v, i) => unresolvedValuePaths(v, `${at}[${i}]`)); }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) { return [at]; }
    return keys.flatMap(k => unresolvedValuePaths((value as any)[k], at ? `${at}.${k}` : k));
  }
  return [];
}

/** Refuses a release whose values are not all literal, naming each value. */
export function validateHelmRelease(release: HelmRelease, owner: string): void {
  const unresolved = unresolvedValuePaths(release.values);
  if (unresolved.length > 0) {
    throw new WorkloadIdentityError(
      `Helm values of release '${release.release}' (${owner}) are known only at deployment: ${unresolved.join(', ')}. ` +
      'Give the resources they come from literal names (import them by name or ARN, or set the name when you create them), ' +
      'or leave them out and set them at install time.');
  }
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(release.release) || release.release.length > 53) {
    throw new WorkloadIdentityError(`Invalid Helm release name '${release.release}' (${owner}): lower-case letters, digits and '-', at most 53 characters.`);
  }
}
