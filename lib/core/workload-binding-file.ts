import * as fs from 'fs';
import * as path from 'path';
import { describeCluster, describeRole, refuseDuplicateBindings, sameCluster } from './binding-cluster';
import { containsCdkToken } from './cdk-token';
import { fargateBinding } from './fargate-binding';
import { describeFargateSelector, fargatePlacement, validateFargateSelectors } from './fargate-selector';
import { IdentityMechanism, usesIrsa, usesPodIdentity } from './identity-mechanism';
import { KubernetesNames } from './kubernetes-names';
import { deliveredMechanism, mechanismPlan, migrationLabel, migrationPlan, validateMigration } from './migration-plan';
import { MIN_TOKEN_EXPIRATION_SECONDS } from './service-account-annotations';
import { requireValue, validateBindingValues, validateClusterArn, validateClusterName, validateLiteralBinding } from './validation';
import { hasWildcard, iamLikeMatches, likePatternsOverlap, validateNamespacePattern, validateServiceAccountPattern } from './subject-pattern';
import { splitArn } from './validation/aws-environment';
import { show } from './validation/describe';
import { WorkloadIdentityError } from './validation-error';
import { IrsaServiceAccountSettings, WorkloadBinding } from './workload-binding';
import { WorkloadBindingDocument } from './workload-binding-document';
import { fromVersion1 } from './workload-binding-v1';
import {
  describeRecordedPattern, patternsAdmitting, podIdentityPatternRefusal, selectorMayMatchPattern, SubjectPatternMatch, subjectPatternHalves,
  validateSubjectPatternText, WorkloadSubjectPattern,
} from './workload-subject-pattern';

/** The format of a file of bindings only: what readers of every release since format 2 read. */
const FORMAT_VERSION = 2;
/** The format of a file that also records subject patterns: readers of earlier releases refuse it, saying to upgrade. */
const PATTERNS_FORMAT_VERSION = 3;
const READ_VERSIONS = [1, FORMAT_VERSION, PATTERNS_FORMAT_VERSION];
const DOCUMENT_FIELDS = ['version', 'bindings', 'subjectPatterns'];
const PATTERN_FIELDS = ['clusterName', 'clusterArn', 'subjectPattern', 'mechanism', 'roleArn', 'irsa', 'fargateSelectors'];
const MECHANISMS = Object.values(IdentityMechanism) as string[];
const BINDING_FIELDS = ['clusterName', 'clusterArn', 'namespace', 'serviceAccountName', 'mechanism', 'roleArn', 'irsa', 'migration', 'subjectPattern', 'fargateSelectors', 'mechanismReason'];
const IRSA_FIELDS = ['audience', 'stsRegionalEndpoints', 'tokenExpirationSeconds'];


/** Bindings that passed validate() (a binding is read-only), so the chart and its ServiceAccounts check each once. */
const VALIDATED = new WeakSet<object>();
/** Subject patterns that passed validateSubjectPattern(). */
const VALIDATED_PATTERNS = new WeakSet<object>();
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

  /**
   * Throws unless the recorded subject pattern is one the library writes: a
   * safe pattern (each half a pattern or a name), a known mechanism, a
   * literal role ARN when IRSA is used, IRSA settings only then, and Fargate
   * selectors that can select a namespace it matches.
   */
  public static validateSubjectPattern(pattern: WorkloadSubjectPattern): void {
    if (VALIDATED_PATTERNS.has(pattern)) { return; }
    requireValue(pattern, 'The subject pattern', 'Pass WorkloadIdentity.subjectPatterns, or the subjectPatterns of a bindings file.');
    if (typeof pattern !== 'object' || Array.isArray(pattern)) {
      throw new WorkloadIdentityError(`Invalid subject pattern: expected an object, got ${JSON.stringify(pattern)}.`);
    }
    const where = `subject pattern ${show(pattern.subjectPattern)} on cluster '${pattern.clusterName}'`;
    refuseUnknown(pattern, PATTERN_FIELDS, where);
    validateBindingValues(pattern, where);
    validateSubjectPatternText(pattern.subjectPattern, where);
    if (!MECHANISMS.includes(pattern.mechanism)) {
      throw new WorkloadIdentityError(`Invalid ${where}: mechanism '${pattern.mechanism}' is not one of ${MECHANISMS.join(', ')}.`);
    }
    if (usesIrsa(pattern.mechanism)) {
      if (pattern.roleArn === undefined) {
        throw new WorkloadIdentityError(`Invalid ${where}: ${pattern.mechanism} needs roleArn, the literal ARN each match's ServiceAccount carries.`);
      }
    } else if (pattern.irsa !== undefined) {
      throw new WorkloadIdentityError(
        `Invalid ${where}: a Pod Identity pattern's ServiceAccounts carry no IRSA settings, found irsa ${JSON.stringify(pattern.irsa)}. Remove them.`);
    }
    if (pattern.irsa !== undefined) { validateIrsaSettings(pattern.irsa, where); }
    if (pattern.fargateSelectors !== undefined) {
      validateFargateSelectors(pattern.fargateSelectors, `the ${where}`);
      const other = pattern.fargateSelectors.find(s => !selectorMayMatchPattern(s, pattern.subjectPattern));
      if (other) {
        throw new WorkloadIdentityError(
          `Invalid ${where}: fargateSelectors holds ${describeFargateSelector(other)}, which selects no namespace the pattern matches. ` +
          'A pattern carries the selectors of its own namespaces only: write the file again from the CDK app.');
      }
    }
    validateRoleAgainstCluster(pattern, where);
    // A pattern exists only to be written to a file: a token (a cluster created in the app without a literal name) means nothing there.
    validateLiteralBinding(pattern, where);
    VALIDATED_PATTERNS.add(pattern);
  }

  /**
   * The binding of a ServiceAccount an IRSA subject pattern of a bindings
   * file matches, e.g. the `seeder` of a new preview namespace `pr-200` under
   * `pr-*` then `/seeder`: the role's trust already admits it, so its
   * annotated ServiceAccount is all it needs. It is the binding the CDK app's
   * `addPatternMatch` would return. Refused: a ServiceAccount no recorded
   * pattern of its cluster matches, or one of a Pod Identity pattern (EKS
   * gives credentials only through an association the CDK app deploys).
   *
   * @param patterns the file's subject patterns (`WorkloadBindingFile.readDocument(file).subjectPatterns`)
   * @returns the binding for the Kubernetes side (a `WorkloadChart` or `WorkloadServiceAccount`)
   */
  public static bindPatternMatch(patterns: WorkloadSubjectPattern[], match: SubjectPatternMatch): WorkloadBinding {
    requireValue(patterns, 'The subject patterns', 'Pass WorkloadBindingFile.readDocument(file).subjectPatterns.');
    requireValue(match, 'The pattern match', "Pass { namespace, serviceAccountName }, e.g. { namespace: 'pr-200', serviceAccountName: 'web' }.");
    patterns.forEach(p => WorkloadBindingFile.validateSubjectPattern(p));
    KubernetesNames.validateNamespace(match.namespace);
    KubernetesNames.validateServiceAccountName(match.serviceAccountName);
    if (match.clusterName !== undefined) { validateClusterName(match.clusterName); }
    if (match.clusterArn !== undefined) { validateClusterArn(match.clusterArn, match.clusterName); }
    const { namespace, serviceAccountName } = match;
    const admitting = patternsAdmitting(patterns, match);
    const [pattern] = admitting;
    const other = admitting.find(p => p.roleArn !== pattern.roleArn || p.mechanism !== pattern.mechanism);
    if (other) {
      throw new WorkloadIdentityError(
        `ServiceAccount '${namespace}/${serviceAccountName}' matches ${describeRecordedPattern(pattern)} (${describeRole(pattern)}) and ` +
        `'${other.subjectPattern}' (${describeRole(other)}); a ServiceAccount has one role. Remove the pattern that is not what the CDK app declares ` +
        '(a merge of two files, or an edit?), or write the file again from the CDK app.');
    }
    const podIdentity = admitting.find(p => usesPodIdentity(p.mechanism));
    if (podIdentity) { throw new WorkloadIdentityError(podIdentityPatternRefusal(podIdentity, namespace, serviceAccountName)); }
    const where = `ServiceAccount '${namespace}/${serviceAccountName}' on cluster '${pattern.clusterName}'`;
    // As addPatternMatch does: the namespace's Fargate selectors, and why IRSA serves its pods there.
    const fargate = fargateBinding(fargatePlacement(pattern.fargateSelectors ?? [], namespace), mechanismPlan(pattern.mechanism), pattern.mechanism,
      `${pattern.mechanism} of pattern '${pattern.subjectPattern}'`, where, namespace, '');
    const binding = normalize({
      clusterName: pattern.clusterName,
      ...(pattern.clusterArn !== undefined ? { clusterArn: pattern.clusterArn } : {}),
      namespace,
      serviceAccountName,
      mechanism: pattern.mechanism,
      roleArn: pattern.roleArn,
      ...(pattern.irsa !== undefined ? { irsa: pattern.irsa } : {}),
      subjectPattern: pattern.subjectPattern,
      ...fargate,
    });
    WorkloadBindingFile.validate(binding);
    return binding;
  }

  /**
   * The bindings (and the subject patterns, if any) as a JSON document,
   * pretty-printed in a stable key order: format version 2, or 3 when it
   * records subject patterns.
   *
   * @param subjectPatterns the identities' subject patterns (`WorkloadIdentity.subjectPatterns`), for a cdk8s-only repository to bind new matches of IRSA patterns
   */
  public static toJson(bindings: WorkloadBinding[], subjectPatterns?: WorkloadSubjectPattern[]): string {
    bindings.forEach(b => WorkloadBindingFile.validate(b));
    const patterns = subjectPatterns ?? [];
    patterns.forEach(p => WorkloadBindingFile.validateSubjectPattern(p));
    refuseDuplicateBindings(bindings, i => `binding #${i + 1}`, 'Pass each ServiceAccount\'s binding once (WorkloadIdentity.bindings of each identity, not concatenated twice).');
    // A cluster created in the same CDK app has a token name: meaningless in a file.
    const unnamed = bindings.find(b => containsCdkToken(b.clusterName));
    if (unnamed) {
      throw new WorkloadIdentityError(
        `Cannot write the binding for '${unnamed.namespace}/${unnamed.serviceAccountName}': its cluster name '${unnamed.clusterName}' ` +
        'is an unresolved CDK token (a cluster created in this app). Write bindings of clusters known by a literal name, ' +
        'or render this ServiceAccount in the same app from WorkloadIdentity.primaryBinding.');
    }
    refuseConflictingPatterns(bindings, patterns, i => `binding #${i + 1}`, i => `subject pattern #${i + 1}`);
    const document: WorkloadBindingDocument = patterns.length > 0
      ? { version: PATTERNS_FORMAT_VERSION, bindings: bindings.map(normalize), subjectPatterns: patterns.map(normalizePattern) }
      : { version: FORMAT_VERSION, bindings: bindings.map(normalize) };
    return JSON.stringify(document, undefined, 2) + '\n';
  }

  /** Parses and validates a JSON document written by `toJson` (format version 2 or 3, or 1 of earlier releases): its bindings. */
  public static fromJson(json: string): WorkloadBinding[] {
    return WorkloadBindingFile.documentFromJson(json).bindings;
  }

  /**
   * Parses and validates a JSON document written by `toJson`: its bindings
   * and, in format 3, the subject patterns it records.
   */
  public static documentFromJson(json: string): WorkloadBindingDocument {
    let document: any;
    try {
      document = JSON.parse(json);
    } catch (e) {
      throw new WorkloadIdentityError(`Invalid bindings document: not JSON (${(e as Error).message}).`);
    }
    const version = document?.version;
    if (!document || !READ_VERSIONS.includes(version) || !Array.isArray(document.bindings)) {
      // Name what is wrong: a right version with a bad 'bindings' would otherwise read as 'got version 2'.
      const got = READ_VERSIONS.includes(version)
        ? `"bindings" is ${JSON.stringify(document.bindings)}` : `version ${JSON.stringify(version)}`;
      // A later format is a later release's: only upgrading the reader helps.
      const fix = typeof version === 'number' && version > PATTERNS_FORMAT_VERSION
        ? ' A later release of cdk-eks-workload-identity wrote it: upgrade the package where the file is read to the writer\'s version.' : '';
      throw new WorkloadIdentityError(
        `Invalid bindings document: expected {"version": ${FORMAT_VERSION}, "bindings": [...]} (or version 1, or 3 with "subjectPatterns"), got ${got}.${fix}`);
    }
    refuseUnknownDocumentFields(document, version);
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
    if (version !== PATTERNS_FORMAT_VERSION) { return { version, bindings }; }
    const recorded = document.subjectPatterns;
    if (!Array.isArray(recorded) || recorded.length === 0) {
      throw new WorkloadIdentityError(
        `Invalid bindings document: version 3 records subject patterns, but "subjectPatterns" is ${JSON.stringify(recorded)}. ` +
        'Write the file again from the CDK app (a file without subject patterns is version 2).');
    }
    const subjectPatterns = recorded.map((entry: any, i: number) => {
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
        throw new WorkloadIdentityError(`Invalid bindings document: subject pattern #${i + 1} must be an object, got ${JSON.stringify(entry)}.`);
      }
      WorkloadBindingFile.validateSubjectPattern(entry);
      return normalizePattern(entry);
    });
    refuseConflictingPatterns(bindings, subjectPatterns, i => `binding #${i + 1}`, i => `subject pattern #${i + 1}`);
    subjectPatterns.forEach(p => VALIDATED_PATTERNS.add(p));
    return { version, bindings, subjectPatterns };
  }

  /**
   * Writes the bindings (and subject patterns) to `file` (creating its folder), for a cdk8s-only repository to read.
   *
   * @param subjectPatterns the identities' subject patterns (`WorkloadIdentity.subjectPatterns`)
   */
  public static writeFile(file: string, bindings: WorkloadBinding[], subjectPatterns?: WorkloadSubjectPattern[]): void {
    const json = WorkloadBindingFile.toJson(bindings, subjectPatterns);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, json);
  }

  /** Reads and validates a bindings file written by `writeFile`: its bindings. */
  public static readFile(file: string): WorkloadBinding[] {
    return WorkloadBindingFile.readDocument(file).bindings;
  }

  /**
   * Reads and validates a bindings file written by `writeFile`: its bindings
   * and the subject patterns it records (give them to `bindPatternMatch`).
   */
  public static readDocument(file: string): WorkloadBindingDocument {
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
    return WorkloadBindingFile.documentFromJson(json);
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
function validateRoleAgainstCluster(binding: Pick<WorkloadBinding, 'roleArn' | 'clusterArn' | 'mechanism'>, where: string): void {
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

/** A document's own fields: format 3 adds subjectPatterns, which a reader of format 2 would drop. */
function refuseUnknownDocumentFields(document: object, version: number): void {
  if (version === 1) { return; }
  const known = version === PATTERNS_FORMAT_VERSION ? DOCUMENT_FIELDS : DOCUMENT_FIELDS.filter(f => f !== 'subjectPatterns');
  const unknown = Object.keys(document).filter(k => !known.includes(k));
  if (unknown.includes('subjectPatterns')) {
    throw new WorkloadIdentityError(
      `Invalid bindings document: "subjectPatterns" is part of format version 3, and reading the file as version ${version} would drop them. ` +
      'Set "version": 3 (what WorkloadBindingFile.toJson writes with subject patterns), or write the file again from the CDK app.');
  }
  if (unknown.length > 0) {
    throw new WorkloadIdentityError(`Invalid bindings document: unknown field ${unknown.map(k => `'${k}'`).join(', ')}; the fields of version ${version} are ${known.join(', ')}.`);
  }
}

/**
 * A file's patterns and bindings agree as the CDK app's registry made them:
 * no binding, and no pattern of another role, that a pattern of one role
 * admits on the same cluster (a merge of two files, or an edit).
 */
function refuseConflictingPatterns(bindings: readonly WorkloadBinding[], patterns: readonly WorkloadSubjectPattern[],
  bindingName: (i: number) => string, patternName: (i: number) => string): void {
  const differ = (a: { roleArn?: string; mechanism: string }, b: { roleArn?: string; mechanism: string }) =>
    a.roleArn !== undefined && b.roleArn !== undefined && a.roleArn !== b.roleArn;
  patterns.forEach((p, i) => {
    const [namespace, name] = subjectPatternHalves(p.subjectPattern);
    const b = bindings.findIndex(x => sameCluster(x, p) && iamLikeMatches(namespace, x.namespace) && iamLikeMatches(name, x.serviceAccountName) && differ(x, p));
    if (b >= 0) {
      throw new WorkloadIdentityError(
        `Invalid bindings document: ${bindingName(b)} ('${bindings[b].namespace}/${bindings[b].serviceAccountName}', ${describeRole(bindings[b])}) is admitted by ` +
        `${patternName(i)} (${describeRecordedPattern(p)}, ${describeRole(p)}); a ServiceAccount has one role. ` +
        'Remove the one that is not what the CDK app declares (a merge of two files, or an edit?), or write the file again with WorkloadOutputs.synth.');
    }
    const j = patterns.findIndex((q, k) => k > i && sameCluster(q, p) && differ(q, p) &&
      likePatternsOverlap(namespace, subjectPatternHalves(q.subjectPattern)[0]) && likePatternsOverlap(name, subjectPatternHalves(q.subjectPattern)[1]));
    if (j >= 0) {
      throw new WorkloadIdentityError(
        `Invalid bindings document: ${patternName(i)} ('${p.subjectPattern}', ${describeRole(p)}) and ${patternName(j)} ('${patterns[j].subjectPattern}', ` +
        `${describeRole(patterns[j])}) can match one ServiceAccount on cluster ${describeCluster(p)}; a ServiceAccount has one role. ` +
        'Remove the one that is not what the CDK app declares (a merge of two files, or an edit?), or write the file again with WorkloadOutputs.synth.');
    }
  });
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

/** The pattern with its fields in the format's order, and nothing else. */
function normalizePattern(p: WorkloadSubjectPattern): WorkloadSubjectPattern {
  const bound = normalize({ ...p, namespace: '', serviceAccountName: '' });
  return {
    clusterName: p.clusterName,
    ...(p.clusterArn !== undefined ? { clusterArn: p.clusterArn } : {}),
    subjectPattern: p.subjectPattern,
    mechanism: p.mechanism,
    ...(p.roleArn !== undefined ? { roleArn: p.roleArn } : {}),
    ...(bound.irsa !== undefined ? { irsa: bound.irsa } : {}),
    ...(bound.fargateSelectors !== undefined ? { fargateSelectors: bound.fargateSelectors } : {}),
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
