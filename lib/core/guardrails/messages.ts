import { GuardrailLevel, GuardrailRule } from './guardrail-level';

// The one pack of guardrail texts: ids, levels, explanations, fixes and the
// per-finding messages. Rule files hold only the checks.

function rule(id: string, name: string, level: GuardrailLevel, explanation: string, fix: string): GuardrailRule {
  return { id, name, level, explanation, fix };
}

/** Rules on the AWS side (CloudFormation templates of a CDK app). */
export const AWS_RULES = {
  staticAccessKey: rule('WI-AWS-1', 'static-access-key', GuardrailLevel.ERROR,
    'Access keys never expire and leak through images, logs and laptops.',
    'Remove the AWS::IAM::AccessKey; give the workload a WorkloadIdentity (IRSA or Pod Identity) instead.'),
  userWithPolicies: rule('WI-AWS-2', 'user-with-policies', GuardrailLevel.ERROR,
    'An IAM user with permissions next to workload identities is how static keys creep back in.',
    'Grant the permissions to the workload\'s WorkloadIdentity (bucket.grantRead(identity)) and remove the user\'s policies.'),
  irsaTrustUnscoped: rule('WI-AWS-3', 'irsa-trust-unscoped', GuardrailLevel.ERROR,
    'Without a :sub condition every ServiceAccount of the cluster can assume the role; without :aud tokens minted for other audiences are accepted.',
    'Add StringEquals <issuer>:sub = system:serviceaccount:<namespace>:<name> and <issuer>:aud = sts.amazonaws.com (WorkloadIdentity writes both).'),
  irsaWildcardSubject: rule('WI-AWS-4', 'irsa-wildcard-subject', GuardrailLevel.ERROR,
    'A wildcard subject lets any matching ServiceAccount, including ones created later by anyone who can create ServiceAccounts, assume the role.',
    'List the exact subjects (WorkloadIdentity.addSubject), or declare the pattern in WorkloadIdentityGuardrails subjectPatterns if it is intended.'),
  trustsAnyone: rule('WI-AWS-5', 'workload-role-trusts-anyone', GuardrailLevel.ERROR,
    'A workload role that trusts "*" or an account root can be assumed by any principal of that account (or of any account) that is allowed sts:AssumeRole, not only by its pods.',
    'Remove that statement; let only the pods\' ServiceAccounts assume the role (WorkloadIdentity builds that trust).'),
  podIdentityTagSession: rule('WI-AWS-6', 'pod-identity-trust-tag-session', GuardrailLevel.ERROR,
    'EKS Pod Identity always tags the session; without sts:TagSession every AssumeRole fails and the pods get no credentials.',
    'Allow both sts:AssumeRole and sts:TagSession to pods.eks.amazonaws.com.'),
  podIdentityUnscoped: rule('WI-AWS-7', 'pod-identity-trust-unscoped', GuardrailLevel.WARNING,
    'Without conditions any pod identity association in any account that may pass the role can use it (confused deputy).',
    'Add StringEquals aws:SourceAccount and the cluster (aws:SourceArn, or the aws:RequestTag/eks-cluster-arn session tag), as WorkloadIdentity does unless restrictTrustToSubjects is false.'),
  trustPolicyTooLong: rule('WI-AWS-8', 'trust-policy-too-long', GuardrailLevel.ERROR,
    'IAM rejects trust policies over the role trust policy quota (2,048 characters by default), so the deployment fails.',
    'Move these subjects to Pod Identity (its trust does not grow per cluster), split them over several identities, or raise the quota and set maxTrustPolicyLength.'),
  tooManyAssociations: rule('WI-AWS-9', 'too-many-pod-identity-associations', GuardrailLevel.ERROR,
    'EKS refuses pod identity associations beyond its per-cluster quota, so the deployment fails midway.',
    'Share an identity between ServiceAccounts that need the same permissions, spread workloads over clusters, or set maxPodIdentityAssociationsPerCluster to your raised quota.'),
  duplicateAgent: rule('WI-AWS-10', 'duplicate-pod-identity-agent', GuardrailLevel.ERROR,
    'EKS accepts one eks-pod-identity-agent add-on per cluster; the second one fails to create.',
    'Keep one add-on per cluster: declare it before the first WorkloadIdentity so it is reused, set installPodIdentityAgent: false where it is installed elsewhere, or remove the extra one.'),
  nodeImds: rule('WI-AWS-11', 'node-imds-reachable', GuardrailLevel.WARNING,
    'Pods that reach the instance metadata service get the node role: every pod on the node then has the node\'s permissions, and a pod without its own identity silently falls back to them.',
    'Set MetadataOptions HttpTokens: required and HttpPutResponseHopLimit: 1 in the launch template (ec2.LaunchTemplate requireImdsv2: true, httpPutResponseHopLimit: 1) and give the node group that launch template.'),
  podIdentityUnsupported: rule('WI-AWS-12', 'pod-identity-unsupported-target', GuardrailLevel.ERROR,
    'EKS Pod Identity exists only for Linux pods on EC2 nodes of EKS clusters in AWS Regions outside China; elsewhere the association is created but the pods get no credentials, or it fails.',
    'Use IdentityMechanism.IRSA for this workload.'),
  duplicateOidcProvider: rule('WI-AWS-13', 'duplicate-oidc-provider', GuardrailLevel.ERROR,
    'IAM accepts one OIDC provider per issuer URL in an account; the second AWS::IAM::OIDCProvider fails to create at deployment.',
    'Declare the provider once and import it elsewhere: iam.OidcProviderNative.fromOidcProviderArn(scope, id, arn), passed as openIdConnectProvider to WorkloadCluster.fromClusterAttributes.'),
  inlinePoliciesTooLong: rule('WI-AWS-14', 'inline-policies-too-long', GuardrailLevel.ERROR,
    'IAM rejects a role whose inline policies (its Policies and every AWS::IAM::Policy attached to it) exceed 10,240 characters together, so the deployment fails. A WorkloadIdentity\'s role does not overflow into managed policies the way iam.Role does.',
    'Grant on fewer, broader resources (a key prefix instead of each object), move statements into an iam.ManagedPolicy passed as managedPolicies, or split the permissions over identities.'),
};

/** Rules on the Kubernetes side (cdk8s charts). */
export const K8S_RULES = {
  staticKeyEnv: rule('WI-K8S-1', 'static-key-env', GuardrailLevel.ERROR,
    'Static keys in the environment never expire, and the SDK prefers them over the pod identity, so the workload identity silently stops being used.',
    'Remove the variable; the pod\'s ServiceAccount gives it credentials (WorkloadServiceAccount from a WorkloadIdentity).'),
  staticKeySecret: rule('WI-K8S-2', 'static-key-secret', GuardrailLevel.ERROR,
    'A Secret or ConfigMap that carries AWS keys is a long-lived credential waiting to be mounted or leaked.',
    'Delete the keys from it and give the workloads that read them a WorkloadIdentity.'),
  defaultServiceAccount: rule('WI-K8S-3', 'default-service-account', GuardrailLevel.ERROR,
    'A pod that runs as "default" shares its identity with every other pod of the namespace, and without an identity of its own it falls back to the node role.',
    'Give the pod its own ServiceAccount (serviceAccount: a WorkloadServiceAccount, or a kplus.ServiceAccount for pods that need no AWS access).'),
  undefinedServiceAccount: rule('WI-K8S-4', 'undefined-service-account', GuardrailLevel.ERROR,
    'The pod is rejected (or runs with another identity) when its ServiceAccount does not exist.',
    'Define the ServiceAccount in the app (WorkloadServiceAccount), or list it in KubernetesGuardrails externalServiceAccounts if it is created elsewhere.'),
  unbackedRoleArn: rule('WI-K8S-5', 'unbacked-role-arn', GuardrailLevel.ERROR,
    'A role ARN annotation that no declared identity backs points at a role whose trust nobody checked, or at none.',
    'Render the ServiceAccount from its binding (new WorkloadServiceAccount(chart, id, { binding })), or pass the bindings to KubernetesGuardrails.'),
  automountWithoutIdentity: rule('WI-K8S-6', 'automount-without-identity', GuardrailLevel.WARNING,
    'A ServiceAccount without an AWS identity gains nothing from a mounted Kubernetes API token; mounting it only widens what a compromised pod can do.',
    'Set automountToken: false (automountServiceAccountToken: false), or give it an AWS identity.'),
  podIdentityUnsupportedPod: rule('WI-K8S-7', 'pod-identity-unsupported-pod', GuardrailLevel.ERROR,
    'EKS Pod Identity needs a Linux pod on an EC2 node, on the pod network; Fargate, Windows and hostNetwork pods get no credentials.',
    'Use IdentityMechanism.IRSA for this ServiceAccount, or run the pod on Linux EC2 nodes without hostNetwork.'),
};

/** Every rule, AWS side first. */
export const ALL_RULES: GuardrailRule[] = [...Object.values(AWS_RULES), ...Object.values(K8S_RULES)];

/** The per-finding messages: each names the offending value. */
export const MESSAGES = {
  // AWS
  staticAccessKey: (id: string) => `Access key '${id}' creates a static credential.`,
  userWithPolicies: (id: string, how: string) => `IAM user '${id}' has permissions (${how}) in an app that declares workload identities.`,
  irsaTrustMissing: (role: string, missing: string[]) =>
    `Role '${role}' trusts an OIDC provider for sts:AssumeRoleWithWebIdentity without a ${missing.join(' or ')} condition.`,
  irsaWildcardSubject: (role: string, subject: string) => `Role '${role}' trusts the wildcard subject '${subject}', which no one declared as a pattern.`,
  trustsAnyone: (role: string, principal: string) => `Workload role '${role}' trusts '${principal}'.`,
  podIdentityTagSession: (role: string) => `Role '${role}' trusts pods.eks.amazonaws.com without sts:TagSession.`,
  podIdentityUnscoped: (role: string, missing: string[]) => `Role '${role}' trusts pods.eks.amazonaws.com without a condition on ${missing.join(' or ')}.`,
  trustPolicyTooLong: (role: string, length: number, max: number) =>
    `Role '${role}' has a trust policy of ${length} characters (rendered, without whitespace); the quota is ${max}.`,
  inlinePoliciesTooLong: (role: string, length: number, max: number) =>
    `Role '${role}' has inline policies of ${length} characters together (rendered, without whitespace); the quota is ${max}.`,
  tooManyAssociations: (cluster: string, count: number, max: number) =>
    `Cluster '${cluster}' has ${count} pod identity associations in this app; the EKS quota is ${max} per cluster.`,
  duplicateAgent: (cluster: string, ids: string[]) => `Cluster '${cluster}' has ${ids.length} eks-pod-identity-agent add-ons (${ids.join(', ')}).`,
  imdsV1: (id: string) => `'${id}' allows IMDSv1 (HttpTokens is not 'required').`,
  imdsHopLimit: (id: string, hops: number) => `'${id}' has HttpPutResponseHopLimit ${hops}, so pods reach the instance metadata service.`,
  nodegroupDefaultTemplate: (id: string) =>
    `Node group '${id}' has no launch template, so EKS's default one applies, which lets pods reach the instance metadata service.`,
  podIdentityUnsupported: (association: string, why: string) => `Pod identity association '${association}' targets ${why}.`,
  duplicateOidcProvider: (url: string, account: string | undefined, ids: string[]) =>
    `Issuer '${url}' has ${ids.length} AWS::IAM::OIDCProvider resources in ${account ? `account ${account}` : 'one account'} (${ids.join(', ')}).`,
  // Kubernetes
  staticKeyEnv: (pod: string, container: string, variable: string, source: string) =>
    `Container '${container}' of ${pod} sets ${variable} ${source}.`,
  staticKeySecret: (object: string, what: string) => `${object} carries ${what}.`,
  defaultServiceAccount: (pod: string) => `${pod} runs as ServiceAccount 'default'.`,
  undefinedServiceAccount: (pod: string, serviceAccount: string) => `${pod} runs as ServiceAccount '${serviceAccount}', which the app does not define.`,
  unbackedRoleArn: (serviceAccount: string, roleArn: string) =>
    `ServiceAccount '${serviceAccount}' is annotated with role '${roleArn}', which no declared identity backs.`,
  automountWithoutIdentity: (serviceAccount: string) => `ServiceAccount '${serviceAccount}' has no AWS identity but automounts its API token.`,
  podIdentityUnsupportedPod: (pod: string, serviceAccount: string, why: string) =>
    `${pod} uses Pod Identity through ServiceAccount '${serviceAccount}' but ${why}.`,
  // Acknowledgements
  emptyReason: (id: string, path: string) => `The acknowledgement of ${id} at '${path}' has no reason, so it does not count.`,
};

/** The full text of a finding: what is wrong, why it matters. */
export function describe(rule: GuardrailRule, message: string): string {
  return `${rule.id}: ${message} ${rule.explanation}`;
}
