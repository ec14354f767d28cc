/**
 * Where each kind that runs pods keeps its pod spec (the Kubernetes API's
 * workload kinds), for readers of rendered objects: the Kubernetes
 * guardrails and the identity map find a pod's ServiceAccount through it.
 */
export const POD_SPEC_OF: { readonly [kind: string]: (o: any) => any } = {
  Pod: o => o.spec,
  Deployment: o => o.spec?.template?.spec,
  StatefulSet: o => o.spec?.template?.spec,
  DaemonSet: o => o.spec?.template?.spec,
  ReplicaSet: o => o.spec?.template?.spec,
  ReplicationController: o => o.spec?.template?.spec,
  Job: o => o.spec?.template?.spec,
  CronJob: o => o.spec?.jobTemplate?.spec?.template?.spec,
};

/** Where each of those kinds keeps its pods' labels (the pod template's metadata; a Pod's own). */
export const POD_LABELS_OF: { readonly [kind: string]: (o: any) => { [key: string]: string } | undefined } = {
  Pod: o => o.metadata?.labels,
  Deployment: o => o.spec?.template?.metadata?.labels,
  StatefulSet: o => o.spec?.template?.metadata?.labels,
  DaemonSet: o => o.spec?.template?.metadata?.labels,
  ReplicaSet: o => o.spec?.template?.metadata?.labels,
  ReplicationController: o => o.spec?.template?.metadata?.labels,
  Job: o => o.spec?.template?.metadata?.labels,
  CronJob: o => o.spec?.jobTemplate?.spec?.template?.metadata?.labels,
};
