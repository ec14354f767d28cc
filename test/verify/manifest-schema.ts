/**
 * Validates Kubernetes objects against the Kubernetes OpenAPI schema with
 * kubernetes-models 4.x (Kubernetes 1.27 schemas; 5.x needs Node 22), and
 * rejects unknown fields, which those validators accept silently (the API
 * server drops or, with --validate=strict, rejects them).
 *
 * The unknown-field check uses the same compiled validator: it runs on a
 * proxy of the object that records which properties the validator reads and
 * which objects it enumerates. A property the schema knows is always read
 * (`data.spec === undefined`, then its own check); a map type such as labels
 * is enumerated. A property of a non-map object that the validator never read
 * is unknown to the schema.
 *
 * The OpenAPI schema does not constrain object names; the API server does
 * (apimachinery validation), so those rules are checked here too.
 */
import { KubernetesObject } from './synthesized-app';

export interface SchemaProblem {
  readonly object: string;
  readonly message: string;
}

/** The problems of one object: schema violations and unknown fields. */
export function validateManifestObject(o: KubernetesObject): SchemaProblem[] {
  const object = `${o?.kind ?? '?'} ${o?.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o?.metadata?.name ?? '?'} (${o?.apiVersion ?? '?'})`;
  const Model = modelFor(o);
  if (!Model) {
    return [{ object, message: `no schema for apiVersion '${o?.apiVersion}' kind '${o?.kind}' in kubernetes-models` }];
  }
  const problems: SchemaProblem[] = [];
  try {
    new Model(o).validate();
  } catch (e) {
    problems.push({ object, message: `schema: ${(e as Error).message}` });
  }
  for (const path of unknownFields(Model, o)) {
    problems.push({ object, message: `unknown field ${path}` });
  }
  problems.push(...nameProblems(o).map(message => ({ object, message })));
  return problems;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** The API server's name rules (k8s.io/apimachinery/pkg/util/validation) for what this library emits. */
function nameProblems(o: KubernetesObject): string[] {
  const problems: string[] = [];
  const name = o.metadata?.name ?? '';
  // Namespaces are labels, Services DNS-1035 labels, most other kinds subdomains.
  const [rule, max, what] = o.kind === 'Namespace' ? [DNS1123_LABEL, 63, 'an RFC 1123 label']
    : o.kind === 'Service' ? [DNS1035_LABEL, 63, 'an RFC 1035 label'] : [DNS1123_SUBDOMAIN, 253, 'an RFC 1123 subdomain'];
  if (!rule.test(name) || name.length > max) { problems.push(`metadata.name '${name}' is not ${what} of at most ${max} characters`); }
  const namespace = o.metadata?.namespace;
  if (namespace !== undefined && (!DNS1123_LABEL.test(namespace) || namespace.length > 63)) {
    problems.push(`metadata.namespace '${namespace}' is not an RFC 1123 label of at most 63 characters`);
  }
  for (const [k, v] of Object.entries(o.metadata?.labels ?? {})) {
    if (!QUALIFIED_NAME.test(k) || k.split('/').pop()!.length > 63) { problems.push(`label key '${k}' is not a qualified name`); }
    if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)) { problems.push(`label '${k}' has invalid value '${v}'`); }
  }
  for (const k of Object.keys(o.metadata?.annotations ?? {})) {
    if (!QUALIFIED_NAME.test(k.toLowerCase()) || k.split('/').pop()!.length > 63) { problems.push(`annotation key '${k}' is not a qualified name`); }
  }
  return problems;
}

export function validateManifestObjects(objects: KubernetesObject[]): SchemaProblem[] {
  return objects.flatMap(validateManifestObject);
}

function modelFor(o: KubernetesObject): any {
  if (!o || typeof o.apiVersion !== 'string' || typeof o.kind !== 'string' || !/^[a-z0-9.-]*\/?v[0-9a-z]+$/.test(o.apiVersion)) { return undefined; }
  try {
    // cert-manager's kinds (the pod identity webhook's TLS) from @kubernetes-models/cert-manager, generated from cert-manager's CRDs.
    if (o.apiVersion.startsWith('cert-manager.io/')) { return require(`@kubernetes-models/cert-manager/${o.apiVersion}`)[o.kind]; }
    // kubernetes-models/<group>/<version> (core group: kubernetes-models/v1).
    return require(`kubernetes-models/${o.apiVersion}`)[o.kind];
  } catch {
    return undefined;
  }
}

/** JSON paths of the properties the schema does not define. */
function unknownFields(Model: any, data: unknown): string[] {
  const read = new WeakMap<object, Set<PropertyKey>>();
  const enumerated = new WeakSet<object>();
  const proxies = new WeakMap<object, any>();
  const wrap = (value: any): any => {
    if (value === null || typeof value !== 'object') { return value; }
    const existing = proxies.get(value);
    if (existing) { return existing; }
    read.set(value, new Set());
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        read.get(target)!.add(key);
        return wrap(Reflect.get(target, key, receiver));
      },
      has(target, key) {
        read.get(target)!.add(key);
        return Reflect.has(target, key);
      },
      ownKeys(target) {
        enumerated.add(target);
        return Reflect.ownKeys(target);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };
  try {
    // The model's validate() runs the compiled schema validator on `this`.
    Model.prototype.validate.call(wrap(data));
  } catch {
    // schema errors are reported by validateManifestObject
  }
  const paths: string[] = [];
  const walk = (value: any, path: string) => {
    if (value === null || typeof value !== 'object') { return; }
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${path}[${i}]`));
      return;
    }
    const keys = read.get(value);
    for (const key of Object.keys(value)) {
      const child = `${path}.${key}`;
      if (!keys) {
        // The validator never reached this object: a parent was unknown, already reported.
        return;
      }
      if (!keys.has(key) && !enumerated.has(value)) {
        paths.push(child);
        continue;
      }
      walk(value[key], child);
    }
  };
  walk(data, '');
  return paths;
}
