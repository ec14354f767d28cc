/**
 * What EKS Pod Identity expects of a role, as the EKS user guide states it
 * (pod-id-role, pod-id-abac): shared by the trust policies this library writes
 * and the guardrails that check trust policies written by anyone.
 */

/** The service principal of EKS Pod Identity. */
export const POD_IDENTITY_PRINCIPAL = 'pods.eks.amazonaws.com';
/** The actions EKS Pod Identity needs: it passes session tags on every AssumeRole. */
export const POD_IDENTITY_ACTIONS = ['sts:AssumeRole', 'sts:TagSession'];
/** The session tags EKS Pod Identity attaches, as trust policy condition keys. */
export const POD_IDENTITY_TAG_KEYS = {
  clusterArn: 'aws:RequestTag/eks-cluster-arn',
  namespace: 'aws:RequestTag/kubernetes-namespace',
  serviceAccount: 'aws:RequestTag/kubernetes-service-account',
};
/** The EKS add-on that runs the Pod Identity agent on every node. */
export const POD_IDENTITY_AGENT_ADDON = 'eks-pod-identity-agent';
