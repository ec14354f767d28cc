import { fargateGlobMatches } from '../../../core/fargate-selector';
import { GuardrailLevel } from '../../../core/guardrails/guardrail-level';
import { POD_IDENTITY_UNSUPPORTED_BECAUSE } from '../../../core/guardrails/workload-runtime';
import { asArray, TemplateResource } from '../template-model';
import { AwsRule } from './aws-rule';
import { clusterNameOf, sameCluster } from './cluster-names';

/**
 * WI-AWS-12 pod-identity-unsupported-target: Pod Identity where it does not
 * exist: a cluster declared NOT_EKS, a China Region, an EKS cluster on
 * Outposts, a namespace a Fargate profile sends to Fargate (its selector may
 * use the `*` and `?` wildcards EKS accepts), or a workload marked FARGATE,
 * WINDOWS_NODE or HOST_NETWORK with `markRuntime`.
 *
 * China: the China edition of the EKS User Guide says "Pod Identity is not
 * available in China Regions. Use IAM roles for service accounts."
 * (https://docs.amazonaws.cn/en_us/eks/latest/userguide/pod-identities.html).
 * GovCloud (US) has had it since 2024-08-14 (the EKS User Guide's document
 * history, "EKS Pod Identity in AWS GovCloud (US)"), so it is not refused there.
 */
export const podIdentityUnsupportedTarget: AwsRule = {
  id: 'WI-AWS-12',
  name: 'pod-identity-unsupported-target',
  level: GuardrailLevel.ERROR,
  explanation: 'EKS Pod Identity exists only for Linux pods on EC2 nodes of EKS clusters in AWS Regions outside China; elsewhere the association is created but the pods get no credentials, or it fails.',
  fix: 'Use IdentityMechanism.IRSA for this workload. For a namespace a Fargate profile selects, give the cluster handle the profile\'s selectors (fargateProfileSelectors, read by itself from an aws-eks-v2 cluster\'s own profiles) and declare no mechanism: the cluster then picks IRSA there.',
  check: context => {
    const outposts = context.ofType('AWS::EKS::Cluster').filter(c => c.properties.OutpostConfig);
    const outpostNames = new Set(outposts.map(c => context.render(c.stack, c.properties.Name)).filter(n => typeof n === 'string'));
    const fargateProfiles = context.ofType('AWS::EKS::FargateProfile');

    // Where the cluster is (NOT_EKS, China, Outposts): the same for a standalone association and for
    // the associations an EKS add-on declares in its PodIdentityAssociations.
    const clusterReasons = (resource: TemplateResource): string[] => {
      const cluster = clusterNameOf(context, resource);
      const reasons: string[] = [];
      if (context.namesNotEksCluster(resource, cluster)) {
        reasons.push(`cluster '${cluster}', which is declared NOT_EKS (self-managed, EKS Anywhere or another distribution)`);
      }
      if (resource.stack.region?.startsWith('cn-')) { reasons.push(`a cluster in the China Region ${resource.stack.region}, where Pod Identity is not available`); }
      const ref = resource.properties.ClusterName?.Ref;
      if (outpostNames.has(cluster) || outposts.some(o => o.stack === resource.stack && o.logicalId === ref)) {
        reasons.push(`cluster '${cluster}', which runs on AWS Outposts`);
      }
      return reasons;
    };

    // An add-on's associations name no namespace in the template (EKS uses the add-on's own), so the
    // Fargate and runtime reasons below apply to standalone associations only.
    const addonFindings = context.ofType('AWS::EKS::Addon').flatMap(addon => {
      const serviceAccounts = asArray(addon.properties.PodIdentityAssociations)
        .map((a: any) => context.render(addon.stack, a?.ServiceAccount))
        .filter((sa: any) => sa !== undefined);
      if (serviceAccounts.length === 0) { return []; }
      const accounts = serviceAccounts.map((sa: any) => `'${sa}'`).join(', ');
      return clusterReasons(addon).map(why => context.finding(podIdentityUnsupportedTarget,
        `Add-on '${context.nameOf(addon)}' associates ServiceAccount ${accounts} by Pod Identity and targets ${why}.`, addon));
    });

    return addonFindings.concat(context.ofType('AWS::EKS::PodIdentityAssociation').flatMap(association => {
      const namespace = association.properties.Namespace;
      const reasons = clusterReasons(association);
      for (const profile of fargateProfiles.filter(p => sameCluster(context, p, association))) {
        // A selector with labels sends only the labelled pods: the namespace as a whole stays on nodes.
        const selector = asArray(profile.properties.Selectors).find((s: any) =>
          typeof s?.Namespace === 'string' && asArray(s.Labels).length === 0 && typeof namespace === 'string' && fargateGlobMatches(s.Namespace, namespace));
        if (selector) {
          const how = selector.Namespace === namespace ? '' : ` (selector '${selector.Namespace}')`;
          reasons.push(`namespace '${namespace}', which Fargate profile '${context.nameOf(profile)}' runs on Fargate${how}`);
        }
      }
      const runtime = context.runtimeOf(association);
      if (runtime && POD_IDENTITY_UNSUPPORTED_BECAUSE[runtime]) { reasons.push(`a workload marked ${runtime} (${POD_IDENTITY_UNSUPPORTED_BECAUSE[runtime]})`); }
      return reasons.map(why => context.finding(podIdentityUnsupportedTarget, `Pod identity association '${context.nameOf(association)}' targets ${why}.`, association));
    }));
  },
};
