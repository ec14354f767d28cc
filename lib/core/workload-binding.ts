import * as fs from 'fs';
import * as path from 'path';
import { containsCdkToken } from './cdk-token';
import { IdentityMechanism, usesIrsa } from './identity-mechanism';
import { KubernetesNames } from './kubernetes-names';
import { ROLE_ARN_ANNOTATION, isReservedAnnotation } from './service-account-annotations';
import { requireValue, validateBindingValues, validateLiteralBinding } from './validation';
import { WorkloadIdentityError } from './validation-error';

/**
 * The contract between the AWS side and the Kubernetes side: which
 * ServiceAccount, on which cluster, gets which role by which mechanism.
 *
 * Plain, JSON-serializable data. The Kubernetes side takes every name from it,
 * so the ServiceAccount always matches the trust policy and the association.
 */
export interface WorkloadBinding {
  /** Name of the cluster the ServiceAccount lives in. */
  readonly clusterName: string;
  /** Namespace of the ServiceAccount. */
  readonly namespace: string;
  /** Name of the ServiceAccount. */
  readonly serviceAccountName: string;
  /** How the pod gets the role's credentials. */
  readonly mechanism: IdentityMechanism;
  /**
   * ARN of the role.
   *
   * @default - unknown at synth time (only possible for Pod Identity, whose
   * ServiceAccount does not carry the ARN)
   */
  readonly roleArn?: string;
  /**
   * Annotations the ServiceAccount must carry (for IRSA:
   * `eks.amazonaws.com/role-arn` and the optional token settings).
   */
  readonly serviceAccountAnnotations: { [key: string]: string };
}

/** The file format that carries bindings to a cdk8s-only repository. */
export interface WorkloadBindingDocument {
  /** Format version; this library writes and reads 1. */
  readonly version: number;
  /** The bindings. */
  readonly bindings: WorkloadBinding[];
}

const FORMAT_VERSION = 1;
const MECHANISMS = Object.values(IdentityMechanism) as string[];

/**
 * Checks, serializes and parses bindings. Construct-free and free of
 * aws-cdk-lib, so a cdk8s-only project can use it.
 */
export class WorkloadBindingFile {
  /**
   * Throws unless the binding is complete and consistent: valid names, a known
   * mechanism, and a literal role ARN annotation exactly when IRSA is used.
   */
  public static validate(binding: WorkloadBinding): void {
    requireValue(binding, 'The binding', 'Pass WorkloadIdentity.primaryBinding, or one entry of a bindings file.');
    const where = `binding for '${binding.namespace}/${binding.serviceAccountName}' on cluster '${binding.clusterName}'`;
    validateBindingValues(binding, where);
    KubernetesNames.validateNamespace(binding.namespace);
    KubernetesNames.validateServiceAccountName(binding.serviceAccountName);
    if (!MECHANISMS.includes(binding.mechanism)) {
      throw new WorkloadIdentityError(`Invalid ${where}: mechanism '${binding.mechanism}' is not one of ${MECHANISMS.join(', ')}.`);
    }
    const annotations = binding.serviceAccountAnnotations ?? {};
    if (annotations === null || typeof annotations !== 'object' || Array.isArray(annotations)) {
      throw new WorkloadIdentityError(`Invalid ${where}: serviceAccountAnnotations must be an object of strings, got ${JSON.stringify(annotations)}.`);
    }
    for (const [key, value] of Object.entries(annotations)) {
      if (typeof value !== 'string') {
        throw new WorkloadIdentityError(`Invalid ${where}: annotation '${key}' must be a string, got ${JSON.stringify(value)}.`);
      }
    }
    const roleArnAnnotation = annotations[ROLE_ARN_ANNOTATION];
    if (usesIrsa(binding.mechanism)) {
      if (!roleArnAnnotation) {
        throw new WorkloadIdentityError(
          `Invalid ${where}: ${binding.mechanism} needs the annotation '${ROLE_ARN_ANNOTATION}' with a literal role ARN, ` +
          `got '${roleArnAnnotation ?? ''}'.`);
      }
      if (binding.roleArn !== undefined && binding.roleArn !== roleArnAnnotation) {
        throw new WorkloadIdentityError(`Invalid ${where}: roleArn '${binding.roleArn}' differs from its annotation '${roleArnAnnotation}'.`);
      }
    } else {
      const stray = Object.keys(annotations).filter(isReservedAnnotation);
      if (stray.length > 0) {
        throw new WorkloadIdentityError(
          `Invalid ${where}: Pod Identity ServiceAccounts carry no IRSA annotations, found ${stray.join(', ')}. ` +
          'Remove them, or use mechanism BOTH while migrating from IRSA.');
      }
    }
  }

  /** The bindings as a JSON document (pretty-printed, stable key order). */
  public static toJson(bindings: WorkloadBinding[]): string {
    bindings.forEach(b => WorkloadBindingFile.validate(b));
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

  /** Parses and validates a JSON document written by `toJson`. */
  public static fromJson(json: string): WorkloadBinding[] {
    let document: any;
    try {
      document = JSON.parse(json);
    } catch (e) {
      throw new WorkloadIdentityError(`Invalid bindings document: not JSON (${(e as Error).message}).`);
    }
    if (!document || document.version !== FORMAT_VERSION || !Array.isArray(document.bindings)) {
      // Name what is wrong: a right version with a bad 'bindings' would otherwise read as 'got version 1'.
      const got = document?.version === FORMAT_VERSION
        ? `"bindings" is ${JSON.stringify(document.bindings)}` : `version ${JSON.stringify(document?.version)}`;
      throw new WorkloadIdentityError(
        `Invalid bindings document: expected {"version": ${FORMAT_VERSION}, "bindings": [...]}, got ${got}.`);
    }
    // Validate what the file says before normalizing, so malformed entries are reported, not reshaped.
    (document.bindings as any[]).forEach((b, i) => {
      if (b === null || typeof b !== 'object' || Array.isArray(b)) {
        throw new WorkloadIdentityError(`Invalid bindings document: binding #${i + 1} must be an object, got ${JSON.stringify(b)}.`);
      }
      WorkloadBindingFile.validate(b);
      validateLiteralBinding(b, `binding #${i + 1}`);
    });
    return (document.bindings as WorkloadBinding[]).map(normalize);
  }

  /** Writes the bindings to `file` (creating its folder), for a cdk8s-only repository to read. */
  public static writeFile(file: string, bindings: WorkloadBinding[]): void {
    const json = WorkloadBindingFile.toJson(bindings);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, json);
  }

  /** Reads and validates a bindings file written by `writeFile`. */
  public static readFile(file: string): WorkloadBinding[] {
    return WorkloadBindingFile.fromJson(fs.readFileSync(file, 'utf-8'));
  }
}

function normalize(b: WorkloadBinding): WorkloadBinding {
  const annotations = b.serviceAccountAnnotations ?? {};
  return {
    clusterName: b.clusterName,
    namespace: b.namespace,
    serviceAccountName: b.serviceAccountName,
    mechanism: b.mechanism,
    ...(b.roleArn !== undefined ? { roleArn: b.roleArn } : {}),
    serviceAccountAnnotations: Object.fromEntries(Object.keys(annotations).sort().map(k => [k, annotations[k]])),
  };
}
