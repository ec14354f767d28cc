import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { POD_SPEC_OF } from '../core/pod-spec';


/** One cluster's folder of YAML (one `kubectl apply -f`), as objects. */
export interface ClusterManifests {
  /** The cluster's name: the library's cluster annotation, else the folder's name. */
  readonly cluster: string;
  readonly folder: string;
  readonly objects: any[];
}

/** A pod-bearing object and the ServiceAccount it runs as. */
export interface Workload {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly serviceAccountName: string;
}

/** Every folder under `dist` that holds cdk8s YAML (`*.k8s.yaml`), read in kubectl's order. */
export function readManifests(dist: string): ClusterManifests[] {
  if (!fs.existsSync(dist)) {
    throw new Error(`No Kubernetes output at '${dist}': run the synth that writes the clusters' YAML first, or pass --dist <folder>.`);
  }
  const folders: ClusterManifests[] = [];
  const walk = (dir: string): void => {
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    const files = entries.filter(e => e.isFile() && /\.k8s\.ya?ml$/.test(e.name));
    if (files.length > 0) {
      const objects = files.flatMap(f => parseAllDocuments(fs.readFileSync(path.join(dir, f.name), 'utf-8')).map(d => d.toJS())).filter(o => o && typeof o === 'object');
      const annotated = objects.map(o => o.metadata?.annotations?.['cdk-eks-workload-identity/cluster']).find(c => typeof c === 'string');
      folders.push({ cluster: annotated ?? path.basename(dir), folder: path.relative(dist, dir) || '.', objects });
    }
    entries.filter(e => e.isDirectory() && !e.name.startsWith('.')).forEach(e => walk(path.join(dir, e.name)));
  };
  walk(dist);
  return folders;
}

/** The pod-bearing objects of a folder and the ServiceAccount each runs as (`default` where none is named). */
export function workloadsOf(objects: any[]): Workload[] {
  return objects.filter(o => POD_SPEC_OF[o.kind]).map(o => {
    const spec = POD_SPEC_OF[o.kind](o) ?? {};
    return { kind: o.kind, name: o.metadata?.name ?? '?', namespace: o.metadata?.namespace ?? 'default', serviceAccountName: spec.serviceAccountName ?? spec.serviceAccount ?? 'default' };
  });
}
