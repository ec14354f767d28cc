import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { mechanismReasonAnnotations, serviceAccountAnnotations } from '../core/binding-annotations';
import { migrationAnnotations } from '../core/migration-plan';
import { subjectPatternAnnotations } from '../core/subject-pattern';
import { isReservedAnnotation } from '../core/service-account-annotations';
import { requireValue, validateAnnotationKey } from '../core/validation';
import { atConstruct, childPath, WorkloadIdentityError } from '../core/validation-error';
import { WorkloadBinding } from '../core/workload-binding';
import { WorkloadBindingFile } from '../core/workload-binding-file';
import { KubernetesGuardrails } from './guardrails/kubernetes-guardrails';
import { clusterAnnotation, WorkloadNamespaces } from './workload-namespaces';

/** Options of a `WorkloadServiceAccount`, besides its binding. */
export interface WorkloadServiceAccountOptions {
  /**
   * Whether the app emits the Namespace object of the binding's namespace
   * (once per app, in the `workload-namespaces` chart written before the
   * others). Set false for a namespace managed elsewhere (another GitOps
   * application, a platform team). `default`, `kube-system`, `kube-public` and
   * `kube-node-lease` are never emitted.
   *
   * @default true
   */
  readonly createNamespace?: boolean;

  /**
   * Whether pods of this ServiceAccount get the Kubernetes API token mounted.
   * The AWS credentials do not need it: the EKS pod identity webhook projects
   * its own token volume (`aws-iam-token` for IRSA, `eks-pod-identity-token`
   * for Pod Identity) whatever this says.
   *
   * @default false
   */
  readonly automountToken?: boolean;

  /**
   * Extra labels.
   *
   * @default - `app.kubernetes.io/managed-by: cdk-eks-workload-identity`
   */
  readonly labels?: { [key: string]: string };

  /**
   * Extra annotations. The `eks.amazonaws.com/*` keys come from the binding and cannot be set here.
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/** Props of `WorkloadServiceAccount`. */
export interface WorkloadServiceAccountProps extends WorkloadServiceAccountOptions {
  /**
   * The binding from the AWS side (`WorkloadIdentity.primaryBinding`, or a bindings
   * file). Name, namespace and annotations come only from it.
   */
  readonly binding: WorkloadBinding;
}

/**
 * The Kubernetes ServiceAccount of a workload identity, rendered from its
 * binding. It is a cdk8s-plus `ServiceAccount`, so it can be passed as
 * `serviceAccount` to a `Deployment`, `Pod`, `Job` or `StatefulSet` in the
 * same namespace (a synth error otherwise; `WorkloadChart` puts them there).
 * Its namespace gets a Namespace object in the app (see `createNamespace`),
 * and the ServiceAccount carries the annotation
 * `cdk-eks-workload-identity/cluster` naming the cluster it is for (and,
 * in a staged migration, `cdk-eks-workload-identity/migration` naming its phase;
 * as a match of a subject pattern, `cdk-eks-workload-identity/subject-pattern`;
 * where Fargate decided its mechanism, `cdk-eks-workload-identity/mechanism-reason` saying why).
 */
export class WorkloadServiceAccount extends kplus.ServiceAccount {
  /** The binding this ServiceAccount was rendered from. */
  public readonly binding: WorkloadBinding;

  constructor(scope: Construct, id: string, props: WorkloadServiceAccountProps) {
    atConstruct(childPath(scope, id), () => {
      WorkloadBindingFile.validate(requireValue(props, `WorkloadServiceAccount '${id}' props`, 'Pass { binding }.').binding);
      validateMetadataKeys(props);
    });
    const reserved = Object.keys(props.annotations ?? {}).filter(isReservedAnnotation);
    if (reserved.length > 0) {
      throw new WorkloadIdentityError(
        `ServiceAccount '${props.binding.namespace}/${props.binding.serviceAccountName}' sets ${reserved.join(', ')} by hand; ` +
        'these come from the binding so they match the role. Set the mechanism and irsa options on the WorkloadIdentity instead (Pod Identity needs none).',
        `${scope.node.path}/${id}`);
    }
    super(scope, id, {
      metadata: {
        name: props.binding.serviceAccountName,
        namespace: props.binding.namespace,
        labels: { 'app.kubernetes.io/managed-by': 'cdk-eks-workload-identity', ...props.labels },
        annotations: {
          ...props.annotations, ...clusterAnnotation(props.binding.clusterName), ...migrationAnnotations(props.binding), ...subjectPatternAnnotations(props.binding),
          ...mechanismReasonAnnotations(props.binding), ...serviceAccountAnnotations(props.binding),
        },
      },
      automountToken: props.automountToken ?? false,
    });
    this.binding = props.binding;
    WorkloadNamespaces.ofApp(this)._register(this, props.binding, props.createNamespace ?? true);
    KubernetesGuardrails._register(this, props.binding);
  }
}

/** Keys the API server would refuse fail here, before anything is written. */
function validateMetadataKeys(props: WorkloadServiceAccountProps): void {
  const where = `ServiceAccount '${props.binding.namespace}/${props.binding.serviceAccountName}'`;
  Object.keys(props.annotations ?? {}).forEach(key => validateAnnotationKey(key, where));
  Object.keys(props.labels ?? {}).forEach(key => validateAnnotationKey(key, where, 'label'));
}
