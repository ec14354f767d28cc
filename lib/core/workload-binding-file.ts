import * as fs from 'fs';
import * as path from 'path';
import { refuseDuplicateBindings } from './binding-cluster';
import { containsCdkToken } from './cdk-token';
import { describeFargateSelector, fargatePlacement, validateFargateSelectors } from './fargate-selector';
import { IdentityMechanism, usesIrsa, usesPodIdentity } from './identity-mechanism';
import { KubernetesNames } from './kubernetes-names';
import { deliveredMechanism, migrationLabel, migrationPlan, validateMigration } from './migration-plan';
import { MIN_TOKEN_EXPIRATION_SECONDS } from './service-account-annotations';
import { requireValue, validateBindingValues, validateLiteralBinding } from './validation';
import { hasWildcard, iamLikeMatches, validateNamespacePattern, validateServiceAccountPattern } from './subject-pattern';
import { splitArn } from './validation/aws-environment';
import { show } from './validation/describe';
import { WorkloadIdentityError } from './validation-error';
import { IrsaServiceAccountSettings, WorkloadBinding, WorkloadBindingDocument } from './workload-binding';
import { fromVersion1 } from './workload-binding-v1';

const FORMAT_VERSION = 2;
const MECHANISMS = Object.values(IdentityMechanism) as string[];
const BINDING_FIELDS = ['clusterName', 'clusterArn', 'namespace', 'serviceAccountName', 'mechanism', 'roleArn', 'irsa', 'migration', 'subjectPattern', 'fargateSelectors', 'mechanismReason'];
const IRSA_FIELDS = ['audience', 'stsRegionalEndpoints', 'tokenExpirationSeconds'];


/** Bindings that passed validate() (a binding is read-only), so the chart and its ServiceAccounts check each once. */
const VALIDATED = new WeakSet<object>();
/**
 * Checks, serializes and parses bindings. Construct-free and free of
 * aws-cdk-lib, so a cdk8s-only project can use it.
 */
export class WorkloadBindingFile {
  /**
   * Throws unless the binding is complete and consistent: valid names and
   * values, a known mechanism, a literal role ARN when IRSA is used, IRSA
   * settings only then, and a migration (if any) whose phase wires that mechanism.
   */
  public static validate(binding: WorkloadBinding): void {
    // A chart validates its bindings, then each of its ServiceAccounts its own: once per binding object is enough.
    if (VALIDATED.has(binding)) { return; }
    requireValue(binding, 'The binding', 'Pass WorkloadIdentity.primaryBinding, or one entry of a bindings file.');
    const where = `binding for '${binding.namespace}/${binding.serviceAccountName}' on cluster '${binding.clusterName}'`;
    validateBindingValues(binding, where);
    KubernetesNames.validateNamespace(binding.namespace);
    KubernetesNames.validateServiceAccountName(binding.serviceAccountName);
    if (!MECHANISMS.includes(binding.mechanism)) {
      throw new WorkloadIdentityError(`Invalid ${where}: mechanism '${binding.mechanism}' is not one of ${MECHANISMS.join(', ')}.`);
    }
    if (usesIrsa(binding.mechanism)) {
      if (binding.roleArn === undefined) {
        throw new WorkloadIdentityError(`Invalid ${where}: ${binding.mechanism} needs roleArn, the literal ARN the ServiceAccount carries.`);
      }
    } else if (binding.irsa !== undefined) {
      throw new WorkloadIdentityError(
        `Invalid ${where}: Pod Identity ServiceAccounts carry no IRSA settings, found irsa ${JSON.stringify(binding.irsa)}. ` +
        'Remove them, or use mechanism BOTH while migrating from IRSA.');
    }
    if (binding.irsa !== undefined) { validateIrsaSettings(binding.irsa, where); }
    if (binding.migration !== undefined) { validateBindingMigration(binding, where); }
    if (binding.subjectPattern !== undefined) { validateBindingSubjectPattern(binding, where); }
    validateFargate(binding, where);
    validateRoleAgainstCluster(binding, where);
    VALIDATED.add(binding);
  }

  /** The bindings as a JSON document (format version 2, pretty-printed, stable key order). */
  public static toJson(bindings: WorkloadBinding[]): string {
    bindings.forEach(b => WorkloadBindingFile.validate(b));
    refuseDuplicateBindings(bindings, i => `binding #${i + 1}`, 'Pass each ServiceAccount\'s binding once (WorkloadIdentity.bindings of each identity, not concatenated twice).');
    // A cluster created in the same CDK app has a token name: meaningless in a file.
    const unnamed = bindings.find(b => containsCdkToken(b.clusterName));
    if (unnamed) {
      throw new WorkloadIdentityError(
        `Cannot write the binding for '${unnamed.namespace}/${unnamed.serviceAccountName}': its cluster name '${unnamed.clusterName}' ` +
        'is an unresolved CDK token (a cluster created in this app). Write bindings of clusters known by a literal name, ' +
        'or render this ServiceAccount in the same app from WorkloadIdentity.primaryBinding.');
    }
    const document: WorkloadBindingDocument = { version: FORMAT_VERSION, bindings: bindings.map(normalize) };
    return JSON.stringify(document, undefined, 2) + '\n';
  }

  /** Parses and validates a JSON document written by `toJson` (format version 2, or 1 of earlier releases). */
  public static fromJson(json: string): WorkloadBinding[] {
    let document: any;
    try {
      document = JSON.parse(json);
    } catch (e) {
      throw new WorkloadIdentityError(`Invalid bindings document: not JSON (${(e as Error).message}).`);
    }
    const version = document?.version;
    if (!document || (version !== 1 && version !== FORMAT_VERSION) || !Array.isArray(document.bindings)) {
      // Name what is wrong: a right version with a bad 'bindings' would otherwise read as 'got version 2'.
      const got = version === 1 || version === FORMAT_VERSION
        ? `"bindings" is ${JSON.stringify(document.bindings)}` : `version ${JSON.stringify(version)}`;
      // A later format is a later release's: only upgrading the reader helps.
      const fix = typeof version === 'number' && version > FORMAT_VERSION
        ? ' A later release of cdk-eks-workload-identity wrote it: upgrade the package where the file is read to the writer\'s version.' : '';
      throw new WorkloadIdentityError(
        `Invalid bindings document: expected {"version": ${FORMAT_VERSION}, "bindings": [...]} (or version 1), got ${got}.${fix}`);
    }
    // Validate what the file says before normalizing, so malformed entries are reported, not reshaped.
    const bindings = (document.bindings as any[]).map((entry, i) => {
      const where = `binding #${i + 1}`;
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
        throw new WorkloadIdentityError(`Invalid bindings document: ${where} must be an object, got ${JSON.stringify(entry)}.`);
      }
      // Both formats name every field they know: nothing a file says is dropped without a word.
      const binding: WorkloadBinding = version === 1 ? fromVersion1(entry, where) : entry;
      if (version === FORMAT_VERSION) { refuseUnknownFields(entry, where); }
      WorkloadBindingFile.validate(binding);
      validateLiteralBinding(binding, where);
      return normalize(binding);
    });
    // A merged or hand-edited file can name one ServiceAccount twice, even with two roles: which would win is arbitrary.
    refuseDuplicateBindings(bindings, i => `binding #${i + 1}`,
      'Remove the one that is not what the CDK app declares (a merge of two files, or an edit?), or write the file again with WorkloadOutputs.synth.');
    return bindings;
  }

  /** Writes the bindings to `file` (creating its folder), for a cdk8s-only repository to read. */
  public static writeFile(file: string, bindings: WorkloadBinding[]): void {
    const json = WorkloadBindingFile.toJson(bindings);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, json);
  }

  /** Reads and validates a bindings file written by `writeFile`. */
  public static readFile(file: string): WorkloadBinding[] {
    let json: string;
    try {
      json = fs.readFileSync(file, 'utf-8');
    } catch (e) {
      // A missing file is the usual first error in a cdk8s-only repository: say where it was looked for and who writes it.
      const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
      throw new WorkloadIdentityError(
        `Cannot read bindings file '${file}' (${path.resolve(file)}): ${reason}. ` +
        'The CDK app writes it at the end of a successful synth, with WorkloadOutputs.synth({ apps, bindingsFiles: [{ file, bindings }] }); ' +
        'copy it here, or pass its path (a relative path is read from the working directory).');
    }
    return WorkloadBindingFile.fromJson(json);
  }
}

function validateIrsaSettings(irsa: IrsaServiceAccountSettings, where: string): void {
  if (irsa === null || typeof irsa !== 'object' || Array.isArray(irsa)) {
    throw new WorkloadIdentityError(`Invalid ${where}: irsa must be an object, got ${JSON.stringify(irsa)}.`);
  }
  refuseUnknown(irsa, IRSA_FIELDS, `irsa of the ${where}`);
  if (irsa.stsRegionalEndpoints !== undefined && typeof irsa.stsRegionalEndpoints !== 'boolean') {
    throw new WorkloadIdentityError(`Invalid ${where}: irsa.stsRegionalEndpoints must be true or false, got ${JSON.stringify(irsa.stsRegionalEndpoints)}.`);
  }
  const seconds = irsa.tokenExpirationSeconds;
  if (seconds !== undefined && !(Number.isInteger(seconds) && seconds >= MIN_TOKEN_EXPIRATION_SECONDS)) {
    throw new WorkloadIdentityError(
      `Invalid ${where}: irsa.tokenExpirationSeconds ${JSON.stringify(seconds)} must be a whole number of seconds, ` +
      `at least ${MIN_TOKEN_EXPIRATION_SECONDS} (the EKS pod identity webhook's minimum).`);
  }
}

/**
 * What a binding can say about its own role ARN, beyond its shape: the role
 * is in the partition of the cluster (IAM trusts no principal of another
 * partition), and a role that EKS Pod Identity passes is of the cluster's
 * account (the association takes a role of its own account). An IRSA role may
 * live in any account (trusted through that account's OIDC provider), and
 * whether the role exists, or trusts this ServiceAccount, only AWS knows: the
 * AWS side's trust policy and guardrails are where that is decided.
 */
function validateRoleAgainstCluster(binding: WorkloadBinding, where: string): void {
  if (binding.roleArn === undefined || binding.clusterArn === undefined) { return; }
  if (containsCdkToken(binding.roleArn) || containsCdkToken(binding.clusterArn)) { return; }
  const role = splitArn(binding.roleArn);
  const cluster = splitArn(binding.clusterArn);
  if (!role || !cluster) { return; }
  const [rolePartition, , , roleAccount] = role;
  const [clusterPartition, , , clusterAccount] = cluster;
  if (rolePartition !== clusterPartition) {
    throw new WorkloadIdentityError(
      `Invalid ${where}: roleArn ${show(binding.roleArn)} is in partition '${rolePartition}' but the cluster ${show(binding.clusterArn)} is in '${clusterPartition}'; ` +
      'IAM roles are assumed only from their own partition. Write the binding again from the WorkloadIdentity, or correct roleArn to the role of that partition.');
  }
  if (usesPodIdentity(binding.mechanism) && roleAccount !== clusterAccount) {
    throw new WorkloadIdentityError(
      `Invalid ${where}: roleArn ${show(binding.roleArn)} is in account ${roleAccount} but the cluster ${show(binding.clusterArn)} is in account ${clusterAccount}; ` +
      `EKS Pod Identity (mechanism ${binding.mechanism}) passes a role of the cluster's own account. ` +
      'Write the binding again from the WorkloadIdentity, or correct roleArn to the role of the cluster\'s account (a role of another account is reached as a target role).');
  }
}

/** A migration wires one mechanism per phase: the binding's must be that one. */
function validateBindingMigration(binding: WorkloadBinding, where: string): void {
  validateMigration(binding.migration!, where);
  const expected = deliveredMechanism(migrationPlan(binding.migration!));
  if (binding.mechanism !== expected) {
    throw new WorkloadIdentityError(
      `Invalid ${where}: migration ${migrationLabel(binding.migration!)} wires ${expected}, but the mechanism is ${binding.mechanism}. ` +
      `Set mechanism ${expected}, or write the binding again from the WorkloadIdentity.`);
  }
}

/**
 * The Fargate selectors a binding carries match its namespace, and none that
 * sends every pod of it to Fargate is on a binding whose pods can be given
 * Pod Identity (no credentials there); the reason is a short text.
 */
function validateFargate(binding: WorkloadBinding, where: string): void {
  const selectors = binding.fargateSelectors;
  if (selectors !== undefined) {
    validateFargateSelectors(selectors, `the ${where}`);
    const placement = fargatePlacement(selectors, binding.namespace);
    const other = selectors.find(s => !placement.everyPod.includes(s) && !placement.labelledPods.includes(s));
    if (other) {
      throw new WorkloadIdentityError(
        `Invalid ${where}: fargateSelectors holds ${describeFargateSelector(other)}, which does not match namespace '${binding.namespace}'. ` +
        'A binding carries the selectors of its own namespace only: write the binding again from the WorkloadIdentity.');
    }
    if (placement.everyPod.length > 0 && usesPodIdentity(binding.mechanism)) {
      throw new WorkloadIdentityError(
        `Invalid ${where}: mechanism ${binding.mechanism} in a namespace every pod of which runs on Fargate (${describeFargateSelector(placement.everyPod[0])}), ` +
        'where EKS Pod Identity gives no credentials. Use mechanism IRSA, or write the binding again from the WorkloadIdentity.');
    }
  }
  const reason = binding.mechanismReason;
  if (reason !== undefined && (typeof reason !== 'string' || reason.length === 0 || reason.length > 1024 || containsCdkToken(reason))) {
    throw new WorkloadIdentityError(`Invalid ${where}: mechanismReason must be a literal text of 1 to 1024 characters, got ${JSON.stringify(reason)}.`);
  }
}

/** A field the format does not define is a typo or another tool's data: say so instead of dropping it. */
function refuseUnknownFields(entry: object, where: string): void {
  refuseUnknown(entry, BINDING_FIELDS, where);
}

function refuseUnknown(value: object, known: string[], where: string): void {
  const unknown = Object.keys(value).filter(k => !known.includes(k));
  if (unknown.length > 0) {
    throw new WorkloadIdentityError(`Invalid ${where}: unknown field ${unknown.map(k => `'${k}'`).join(', ')}; the fields are ${known.join(', ')}.`);
  }
}

/** The binding with its fields in the format's order, and nothing else. */
function normalize(b: WorkloadBinding): WorkloadBinding {
  const irsa = b.irsa && {
    ...(b.irsa.audience !== undefined ? { audience: b.irsa.audience } : {}),
    ...(b.irsa.stsRegionalEndpoints !== undefined ? { stsRegionalEndpoints: b.irsa.stsRegionalEndpoints } : {}),
    ...(b.irsa.tokenExpirationSeconds !== undefined ? { tokenExpirationSeconds: b.irsa.tokenExpirationSeconds } : {}),
  };
  return {
    clusterName: b.clusterName,
    ...(b.clusterArn !== undefined ? { clusterArn: b.clusterArn } : {}),
    namespace: b.namespace,
    serviceAccountName: b.serviceAccountName,
    mechanism: b.mechanism,
    ...(b.roleArn !== undefined ? { roleArn: b.roleArn } : {}),
    ...(irsa && Object.keys(irsa).length > 0 ? { irsa } : {}),
    ...(b.migration !== undefined ? { migration: { to: b.migration.to, phase: b.migration.phase } } : {}),
    ...(b.subjectPattern !== undefined ? { subjectPattern: b.subjectPattern } : {}),
    ...(b.fargateSelectors !== undefined ? { fargateSelectors: b.fargateSelectors.map(s => ({
      profileName: s.profileName, namespace: s.namespace, ...(s.labels !== undefined ? { labels: { ...s.labels } } : {}),
    })) } : {}),
    ...(b.mechanismReason !== undefined ? { mechanismReason: b.mechanismReason } : {}),
  };
}

/**
 * A binding's pattern must be one the library would have written (each half a
 * safe pattern or the literal name) and must match the binding's ServiceAccount.
 */
function validateBindingSubjectPattern(binding: WorkloadBinding, where: string): void {
  const pattern = binding.subjectPattern!;
  const halves = typeof pattern === 'string' ? pattern.split('/') : [];
  if (halves.length !== 2 || !hasWildcard(pattern)) {
    throw new WorkloadIdentityError(`Invalid ${where}: subjectPattern ${show(pattern)} must be '<namespace or pattern>/<name or pattern>' with a '*' or '?', e.g. 'pr-*/web'.`);
  }
  const [namespace, name] = halves;
  if (hasWildcard(namespace)) { validateNamespacePattern(namespace); }
  if (hasWildcard(name)) { validateServiceAccountPattern(name); }
  if (!iamLikeMatches(namespace, binding.namespace) || !iamLikeMatches(name, binding.serviceAccountName)) {
    throw new WorkloadIdentityError(`Invalid ${where}: subjectPattern ${show(pattern)} does not match '${binding.namespace}/${binding.serviceAccountName}', ` +
      'so the role would not trust it. Write the binding again from WorkloadIdentity.addPatternMatch.');
  }
}
