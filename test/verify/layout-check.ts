/**
 * One layout, checked end to end: synthesized with the public API, then either
 * refused with an error that names a reason it may be refused for, or
 * delivered exactly as declared, per cluster (declared-layout.ts).
 */
import { deliveryProblems, layoutTrustCases, roleOf } from './declared-layout';
import { describeFleet, fleetProblems, withAddedConditionCases } from './layout-fleet';
import { buildLayout, declaredLayoutOf, envOf, expectationOf, installsAddon, LayoutExpectation, LayoutScenario, podLabels } from './layout-scenario';
import { fargateSelectsPod, noPodIdentityCredentials, placementSpec, podName } from './layout-pods';
import { webhookProblems } from './layout-webhook';
import { validateManifestObjects } from './manifest-schema';
import { synthesize } from './synthesized-app';
import { describeMismatch, evaluateTrustCases } from './trust-evaluator';
import { namesReason, RefusalClass } from './refusal-classes';
import { recordStat } from './verify-stats';
import { workloadRoles } from './workload-roles';

/** The class of the reason an error names, if it names one this layout may be refused for. */
function refusalMatch(error: Error, expected: LayoutExpectation, guardrail = false): RefusalClass | undefined {
  // The library's error, or its guardrails' report through aws-cdk-lib's or cdk8s's validation.
  const library = guardrail || error.name === 'WorkloadIdentityError' || error.name === 'ValidationError' || error.message.startsWith('Validation failed');
  for (const r of [...expected.mustRefuse, ...expected.mayRefuse]) {
    // aws-cdk-lib's own refusal counts only for a reference across environments (or a cycle of them), which it names.
    if ((library || r.class === 'cross-environment-reference') && namesReason(error.message, r)) { return r.class; }
  }
  return undefined;
}

/** Runs one layout; returns 'delivered' or 'refused', throws with every problem otherwise. */
export async function checkLayout(scenario: LayoutScenario, prefix: string): Promise<{ outcome: 'delivered' | 'refused'; refusal?: RefusalClass; templates?: { [name: string]: unknown } }> {
  const expected = expectationOf(scenario);
  let app;
  const stderr = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    app = synthesize([{ name: 'layout', build: buildLayout(scenario, prefix) }], { tolerateValidationFailure: true });
  } catch (e) {
    const error = e as Error;
    // GIVEN a layout THEN a refusal names one of the reasons it may be refused for
    const refusal = refusalMatch(error, expected);
    if (!refusal) {
      throw new Error(`Refused without naming the class of a reason it could have: ${error.name}: ${error.message}\nReasons: ${JSON.stringify([...expected.mustRefuse, ...expected.mayRefuse])}`);
    }
    return { outcome: 'refused', refusal };
  } finally {
    stderr.mockRestore();
  }
  try {
    if (app.validationFailure) {
      const error = app.validationFailure.error;
      const refusal = refusalMatch(error, expected, true);
      if (!refusal) { throw new Error(`A guardrail refused it without naming the class of a reason it could have: ${error.message}\nReasons: ${JSON.stringify([...expected.mustRefuse, ...expected.mayRefuse])}`); }
      return { outcome: 'refused', refusal };
    }
    // GIVEN a layout that must be refused THEN it was not delivered
    if (expected.mustRefuse.length > 0) {
      throw new Error(`Delivered a layout that cannot work as declared: ${expected.mustRefuse.map(r => r.why).join('; ')}.`);
    }
    const layout = declaredLayoutOf(scenario, prefix);
    const roles = workloadRoles(app, { rolesOnly: true });
    const problems: string[] = [];
    // THEN every object is valid Kubernetes
    problems.push(...validateManifestObjects(app.manifests.flatMap(m => m.objects)).map(p => `${p.object}: ${p.message}`));
    // AND each declared subject gets what it needs where AWS and EKS look for it, and nothing else does
    problems.push(...deliveryProblems(app, roles, layout));
    // AND a catalog entry declares its EKS add-on exactly when it installs it: one AWS::EKS::Addon per installing
    // entry, none for an add-on installed elsewhere (installAddon: false), where the identity binds by its own association
    const installed = scenario.identities.filter(installsAddon).map(x => x.addon!).sort();
    const addons = app.stacks.flatMap(st => st.resolved.logicalIdsOfType('AWS::EKS::Addon').map(id => String(st.resolved.properties(id).AddonName)))
      .filter(name => name !== 'eks-pod-identity-agent').sort();
    if (JSON.stringify(addons) !== JSON.stringify(installed)) { problems.push(`EKS add-ons declared: ${JSON.stringify(addons)}; installed by the layout's entries: ${JSON.stringify(installed)}.`); }
    // AND on each issuer kit's cluster the pod identity webhook gives each IRSA pod its role and a token its trust accepts
    scenario.clusters.forEach((c, k) => {
      const w = c.issuerKit?.webhook;
      if (!w) { return; }
      const cluster = layout.clusters[k];
      const subjects = layout.roles.flatMap(r => r.subjects.filter(x => x.irsa && x.cluster === cluster).map(x => ({
        namespace: x.namespace, serviceAccountName: x.serviceAccountName, audience: x.audience, roleArn: roleOf(roles, r)?.arn ?? '(no role)',
      })));
      const objects = app.manifests.filter(m => m.cluster === layout.folderOf(cluster)).flatMap(m => m.objects);
      problems.push(...webhookProblems(objects, { region: w.region ? envOf(c.env).region : undefined, replicas: w.replicas, subjects }).map(p => `Cluster ${cluster.id} '${c.name}', pod identity webhook: ${p}`));
      recordStat('layoutWebhooksJudged');
    });
    // AND every drawn pod is rendered as drawn; one a Fargate profile selects can get credentials only by IRSA
    (scenario.pods ?? []).forEach((pod, p) => {
      const x = scenario.identities[pod.identity].subjects[pod.subject];
      const k = scenario.handles[x.handle].cluster;
      const objects = app.manifests.filter(m => m.cluster === layout.folderOf(layout.clusters[k])).flatMap(m => m.objects);
      const [o] = objects.filter(y => y.kind === pod.kind && y.metadata.name === podName(p) && y.metadata.namespace === x.namespace);
      const template = pod.kind === 'Pod' ? o : o?.spec?.template;
      // (labels as a set: cdk8s renders an object's keys sorted)
      const labelsOf = (labels: any) => JSON.stringify(Object.entries(labels ?? {}).sort());
      const placed = (spec: any) => JSON.stringify(['hostNetwork', 'os', 'nodeSelector', 'affinity'].map(k => spec?.[k] ?? null));
      if (!template || template.spec?.serviceAccountName !== x.serviceAccountName || labelsOf(template.metadata?.labels) !== labelsOf(podLabels(pod, p)) ||
        placed(template.spec) !== placed(placementSpec(pod.placement))) {
        problems.push(`Pod ${x.namespace}/${podName(p)}: not rendered as drawn in folder '${layout.folderOf(layout.clusters[k])}'.`);
        return;
      }
      const onFargate = (scenario.clusters[k].fargate ?? []).some(sel => fargateSelectsPod(sel, x.namespace, podLabels(pod, p)));
      const account = objects.find(y => y.kind === 'ServiceAccount' && y.metadata.name === x.serviceAccountName && (y.metadata.namespace ?? 'default') === x.namespace);
      if (onFargate && account?.metadata.annotations?.['eks.amazonaws.com/role-arn'] === undefined) {
        problems.push(`Pod ${x.namespace}/${podName(p)} runs on Fargate, where only IRSA gives credentials, but its ServiceAccount carries no role-arn annotation.`);
      }
      const offPodNetworkOrLinux = noPodIdentityCredentials(pod.placement);
      if (offPodNetworkOrLinux && account?.metadata.annotations?.['eks.amazonaws.com/role-arn'] === undefined) {
        problems.push(`Pod ${x.namespace}/${podName(p)} (${offPodNetworkOrLinux}) gets no Pod Identity credentials, only IRSA's, but its ServiceAccount carries no role-arn annotation.`);
      }
      recordStat(onFargate ? 'layoutPodsOnFargate' : offPodNetworkOrLinux ? 'layoutPodsOffPodNetworkOrLinux' : 'layoutPodsOnNodes');
    });
    // AND each created role admits exactly the subjects declared for it, each on its own cluster
    let cases = 0;
    for (const declared of layout.roles.filter(r => !r.existingRoleArn)) {
      const role = roles.find(r => r.declared?.path === declared.identityPath);
      if (!role) { continue; } // reported by deliveryProblems
      // (from inside the conditions an identity added, and each allowed case again from outside them)
      const fleet = scenario.identities[layout.roles.indexOf(declared)].fleet;
      const results = await evaluateTrustCases(withAddedConditionCases(layoutTrustCases(role, declared, layout), fleet));
      cases += results.length;
      problems.push(...results.filter(r => r.actual !== r.trustCase.expect).map(describeMismatch));
    }
    // AND each target role admits exactly its identity's role, and each session-tag grant gives a pod only its namespace's objects
    const roleArns = layout.roles.map(r => roleOf(roles, r)?.arn).filter((a): a is string => a !== undefined);
    const allNamespaces = [...new Set(layout.roles.flatMap(r => r.subjects.map(x => x.namespace)))];
    for (const [i, declared] of layout.roles.entries()) {
      const role = roleOf(roles, declared);
      const fleet = scenario.identities[i].fleet;
      if (!role) { continue; } // reported by deliveryProblems
      const own = [...new Set(declared.subjects.filter(x => x.podIdentity).map(x => x.namespace))];
      const found = await fleetProblems(app, fleet, role, roleArns, prefix, i, { own, all: allNamespaces });
      cases += found.cases;
      problems.push(...found.problems.map(p => `${p} (fleet: ${describeFleet(fleet)})`));
    }
    // AND no role trusts anything beyond the declared identities' roles
    const undeclared = roles.filter(r => !r.declared).map(r => `${r.stackName}/${r.logicalId}`);
    if (undeclared.length > 0) { problems.push(`Roles that trust workloads but belong to no identity: ${undeclared.join(', ')}.`); }
    recordStat('layoutTrustCases', cases);
    if (problems.length > 0) {
      throw new Error(`Not delivered as declared (classes: ${expected.classes.join(', ') || 'none'}):\n${problems.slice(0, 25).join('\n')}${problems.length > 25 ? `\n... and ${problems.length - 25} more` : ''}`);
    }
    return { outcome: 'delivered', templates: Object.fromEntries(app.stacks.map(st => [st.stackName, st.template])) };
  } finally {
    app.dispose();
  }
}

