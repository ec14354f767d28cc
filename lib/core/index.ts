// Only jsii-compatible types are re-exported; helper functions stay internal.
export { ClusterKind } from './cluster-kind';
export { DeploymentOutputReference, DeploymentOutputs } from './deployment-outputs';
export { FargateProfileSelector } from './fargate-selector';
export { IdentityMechanism } from './identity-mechanism';
export { KubernetesNames } from './kubernetes-names';
export { MechanismMigration, MigrationPhase } from './migration-phase';
export { OidcIssuer } from './oidc-issuer';
// WorkloadIdentityError extends Error, which jsii cannot export: WorkloadIdentityErrors.isWorkloadIdentityError(e) tells it apart.
export { WorkloadIdentityErrors } from './validation-error';
export { IrsaServiceAccountSettings, WorkloadBinding } from './workload-binding';
export { WorkloadBindingDocument } from './workload-binding-document';
export { WorkloadBindingFile } from './workload-binding-file';
export { SubjectPatternMatch, WorkloadSubjectPattern } from './workload-subject-pattern';
export { HelmRelease } from './helm-release';
export { GuardrailFinding, GuardrailLevel, GuardrailRule, WorkloadRuntime } from './guardrails';
export { ApiServerIssuerFlags, ApiServerIssuerFlagsProps, ServiceAccountIssuerDocuments, ServiceAccountIssuerDocumentsProps, ServiceAccountSigningKey } from './issuer';
