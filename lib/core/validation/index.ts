// Every rule for a value that reaches a trust policy, an ARN or a manifest, in one
// construct-free place shared by the constructors and the bindings reader.
// Internal: functions are not part of the jsii API.
export { validateAnnotationKey, annotationKeyProblem } from './annotation-key';
export { accountProblem, partitionProblem, regionProblem, validateAccountId } from './aws-environment';
export { validateBindingValues, validateLiteralBinding, BindingValues } from './binding-values';
export { validateClusterArn } from './cluster-arn';
export { validateClusterName, clusterNameProblem } from './cluster-name';
export { validateOidcProviderArn, validateRoleArn, roleArnProblem } from './iam-arn';
export { validateAudience, audienceProblem } from './oidc-audience';
export { validateIssuerUrl, issuerUrlProblem } from './oidc-issuer-url';
export { requireOneOf, requireString, requireValue } from './required';
