import * as fs from 'fs';
import * as path from 'path';
import { CfnResource, NestedStack, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { makeFinding, runtimeIn } from '../../core/guardrails/acknowledgement';
import { GuardrailFinding, GuardrailRule } from '../../core/guardrails/guardrail-level';
import { WorkloadRuntime } from '../../core/guardrails/workload-runtime';
import { statementCoversAction } from '../../core/iam-action';
import { POD_IDENTITY_PRINCIPAL } from '../../core/pod-identity';
import { ancestry } from './construct-scopes';
import { librarySubjectPatterns } from './declared-subject-patterns';
import { CfnTemplateDocument, TemplateResolver } from './template-resolver';

/** A synthesized stack: its template, environment and the constructs behind its logical ids. */
export interface StackTemplate {
  readonly stackPath: string;
  readonly templatePath: string;
  readonly account?: string;
  readonly region?: string;
  readonly resources: TemplateResource[];
  /** Renders this template's intrinsics (lenient: unknown values render as '?'). */
  readonly resolver: TemplateResolver;
}

/** One resource of a template, with the construct it came from when known. */
export interface TemplateResource {
  readonly stack: StackTemplate;
  readonly logicalId: string;
  readonly type: string;
  readonly properties: any;
  readonly construct?: IConstruct;
}

/** A finding tied to a template resource, for the validation report. */
export interface ResourceFinding {
  readonly finding: GuardrailFinding;
  readonly resource?: TemplateResource;
}

/** Options every AWS rule may read. */
export interface AwsRuleOptions {
  readonly maxTrustPolicyLength: number;
  readonly maxPodIdentityAssociationsPerCluster: number;
  readonly subjectPatterns: string[];
}

/** What the adapter knows from the construct tree, beyond the templates. */
export interface AppFacts {
  /** The clusters declared `ClusterKind.NOT_EKS`: their name and the path of the stack their handle is in. */
  readonly notEksClusters: ReadonlyArray<{ readonly name: string; readonly stackPath: string }>;
  /** Whether some construct of the app carries a runtime mark (else no search for marks). */
  readonly hasRuntimeMarks: boolean;
}

/** What AWS rules see: every template of the app, the construct tree, the options. */
export class AwsRuleContext {
  public readonly resources: TemplateResource[];
  // Indexes and per-role results, built once: every rule asks for them, per resource.
  private readonly byType = new Map<string, TemplateResource[]>();
  private readonly byLogicalId = new Map<StackTemplate, Map<string, TemplateResource>>();
  private readonly trust = new Map<TemplateResource, { document: any; statements?: TrustStatement[]; workload?: boolean }>();
  private allConstructs?: IConstruct[];
  /**
   * Whether some resource named a cluster declared NOT_EKS, in its account and
   * region or not: over fewer stacks, the same name may be matched by name alone.
   */
  public namedNotEksCluster = false;

  /** `constructs`: every construct of `app`, if the caller already listed them. */
  constructor(public readonly stacks: StackTemplate[], public readonly app: IConstruct, public readonly options: AwsRuleOptions,
    private readonly facts: AppFacts, constructs?: IConstruct[]) {
    this.resources = stacks.flatMap(s => s.resources);
    this.allConstructs = constructs;
    for (const r of this.resources) {
      const list = this.byType.get(r.type);
      if (list) { list.push(r); } else { this.byType.set(r.type, [r]); }
    }
    for (const stack of stacks) {
      const ids = new Map<string, TemplateResource>();
      // The first of a logical id wins, as a search from the start would.
      for (const r of stack.resources) { if (!ids.has(r.logicalId)) { ids.set(r.logicalId, r); } }
      this.byLogicalId.set(stack, ids);
    }
  }

  /** Every construct of the app (one walk of the tree, shared by the rules). */
  public get constructs(): IConstruct[] {
    return this.allConstructs ??= this.app.node.findAll();
  }

  /** The resources of these types, in template order. */
  public ofType(...types: string[]): TemplateResource[] {
    if (types.length === 1) { return [...this.byType.get(types[0]) ?? []]; }
    return this.resources.filter(r => types.includes(r.type));
  }

  /** The resource a Ref / Fn::GetAtt in `stack` points at. */
  public target(stack: StackTemplate, logicalId: string): TemplateResource | undefined {
    const ids = this.byLogicalId.get(stack);
    return ids ? ids.get(logicalId) : stack.resources.find(r => r.logicalId === logicalId);
  }

  /** Whether the app declares workload identities (IRSA or Pod Identity roles, or associations). */
  public get declaresWorkloadIdentities(): boolean {
    return this.ofType('AWS::EKS::PodIdentityAssociation').length > 0 ||
      this.ofType('AWS::IAM::Role').some(r => isWorkloadRole(this, r));
  }

  /** A finding on `resource`, acknowledged through its construct. */
  public finding(rule: GuardrailRule, message: string, resource: TemplateResource): ResourceFinding {
    const construct = resource.construct;
    return { finding: makeFinding(rule, message, ancestry(construct), construct?.node.path ?? `${resource.stack.stackPath}/${resource.logicalId}`), resource };
  }

  /**
   * Whether `resource` names a cluster declared `ClusterKind.NOT_EKS`: same
   * name, in the account and region of the stack that declares it (an EKS
   * cluster of that name elsewhere is another cluster). A declaring stack this
   * check did not read is matched by name alone.
   */
  public namesNotEksCluster(resource: TemplateResource, clusterName: string): boolean {
    return this.facts.notEksClusters.some(c => {
      if (c.name !== clusterName) { return false; }
      this.namedNotEksCluster = true;
      const declaring = this.stacks.find(s => s.stackPath === c.stackPath);
      return !declaring || (declaring.account === resource.stack.account && declaring.region === resource.stack.region);
    });
  }

  /** The wildcard subjects the library wrote into this role's trust (declared patterns of its WorkloadIdentity). */
  public librarySubjectPatterns(role: TemplateResource): ReadonlySet<string> {
    return librarySubjectPatterns(role.construct);
  }

  /** The runtime marked on the resource's construct or a scope of it. */
  public runtimeOf(resource: TemplateResource): WorkloadRuntime | undefined {
    // Checked first: `resource.construct` maps every logical id of the app on first use.
    return this.facts.hasRuntimeMarks ? runtimeIn(ancestry(resource.construct)) : undefined;
  }

  /**
   * The value as IAM or EKS will see it after deployment: intrinsics replaced
   * by their values where the template tells them (pseudo parameters, OIDC
   * provider ARNs, cluster issuers, CfnJson), by a short placeholder otherwise.
   * Parts without intrinsics are the template's own objects: do not modify the result.
   */
  public render(stack: StackTemplate, value: any): any {
    return renderShared(stack.resolver, value);
  }

  /** The role's rendered AssumeRolePolicyDocument, rendered once. Do not modify it. */
  public trustPolicy(role: TemplateResource): any {
    return this.trustOf(role).document;
  }

  /** A display name for a resource: the path of its L2 construct (without '/Resource'), else stack/logical id. */
  public nameOf(resource: TemplateResource): string {
    return resource.construct?.node.path.replace(/(\/Resource)+$/, '') ?? `${resource.stack.stackPath}/${resource.logicalId}`;
  }

  /** The role's rendered trust document, with its statements and whether it is a workload role once asked. */
  public trustOf(role: TemplateResource): { document: any; statements?: TrustStatement[]; workload?: boolean } {
    let entry = this.trust.get(role);
    if (!entry) {
      entry = { document: this.render(role.stack, role.properties.AssumeRolePolicyDocument ?? {}) };
      this.trust.set(role, entry);
    }
    return entry;
  }
}

/**
 * Reads the templates, and those of the NestedStacks inside them, and maps
 * each logical id to its construct. `constructs`: every construct of `app`,
 * if the caller already listed them; `nestedStacks`: the NestedStacks among
 * them, if the caller already found them.
 */
export function loadStacks(app: IConstruct, stackTemplates: { stackConstructPath: string; templatePath: string; accountId?: string; region?: string }[],
  constructs?: IConstruct[], nestedStacks?: NestedStack[]): StackTemplate[] {
  const all = constructs ?? app.node.findAll();
  // Resolving every logical id is a good share of the rules' time at hundreds of
  // resources, and only findings and a few rules need the constructs: mapped on first use.
  let byStack: Map<string, Map<string, IConstruct>> | undefined;
  const constructOf = (stackPath: string, logicalId: string): IConstruct | undefined => {
    byStack ??= mapLogicalIds(all);
    return byStack.get(stackPath)?.get(logicalId);
  };
  const read = (stackPath: string, templatePath: string, account?: string, region?: string): StackTemplate => {
    const { template, resources } = readRuleInput(templatePath);
    const resolver = new TemplateResolver(template, { stackName: stackPath.split('/').pop() ?? stackPath, account, region });
    const stack: StackTemplate = { stackPath, templatePath, account, region, resources: [], resolver };
    for (const [logicalId, r] of resources) {
      stack.resources.push(new LoadedResource(stack, logicalId, r.Type, r.Properties ?? {}, constructOf));
    }
    return stack;
  };
  const stacks = stackTemplates.map(s => read(s.stackConstructPath, s.templatePath, s.accountId, s.region));
  // aws-cdk-lib hands plugins the top-level stacks only; a NestedStack's template
  // is an asset written beside its parent's, under the name the NestedStack gives.
  const nested = nestedStacks ?? all.filter(c => NestedStack.isNestedStack(c)) as NestedStack[];
  for (let i = 0; i < stacks.length && nested.length > 0; i++) {
    const parent = stacks[i];
    for (const n of nested.filter(x => x.nestedStackParent?.node.path === parent.stackPath)) {
      stacks.push(read(n.node.path, path.join(path.dirname(parent.templatePath), n.templateFile), parent.account, parent.region));
    }
  }
  return stacks;
}

/**
 * What the rules and the resolver read of a template: each resource's type and
 * properties, and the parameters. The rest (each resource's metadata,
 * outputs; a sixth of the library's templates) is dropped as each template is
 * read, so it is not held while the rules run.
 */
function readRuleInput(templatePath: string): { template: CfnTemplateDocument; resources: [string, { Type: string; Properties?: any }][] } {
  const template = JSON.parse(fs.readFileSync(templatePath, 'utf-8'));
  const byId: { [logicalId: string]: { Type: string; Properties?: any } } = {};
  const resources: [string, { Type: string; Properties?: any }][] = [];
  const all = template.Resources ?? {};
  for (const logicalId of Object.keys(all)) {
    const r = all[logicalId];
    const entry = { Type: r.Type, Properties: r.Properties };
    byId[logicalId] = entry;
    // As before: '__proto__' set the prototype of the resources' map, which the rules then never listed.
    if (logicalId !== '__proto__') { resources.push([logicalId, entry]); }
  }
  return { template: { Resources: byId, Parameters: template.Parameters }, resources };
}

/** A template resource as read, its construct looked up on first use (one class: every resource has the same shape). */
class LoadedResource implements TemplateResource {
  constructor(public readonly stack: StackTemplate, public readonly logicalId: string, public readonly type: string, public readonly properties: any,
    private readonly constructOf: (stackPath: string, logicalId: string) => IConstruct | undefined) {}

  public get construct(): IConstruct | undefined {
    return this.constructOf(this.stack.stackPath, this.logicalId);
  }
}

/**
 * `resolver.resolve(value)`, except that a part without intrinsics is
 * returned as it is instead of copied (so JSON.stringify of the two is the
 * same). The rules only read what they render: copying every policy
 * document of the app to measure its length was most of WI-AWS-14's time.
 */
export function renderShared(resolver: TemplateResolver, value: any): any {
  if (value === null || typeof value !== 'object') { return value; }
  if (Array.isArray(value)) {
    let out: any[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      const r = renderShared(resolver, v);
      if (out) { out.push(r); } else if (r !== v) { out = value.slice(0, i); out.push(r); }
    }
    return out ?? value;
  }
  const keys = Object.keys(value);
  // An intrinsic, or a '__proto__' key (which resolve's copy drops): as resolve does it.
  if ((keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) || Object.prototype.hasOwnProperty.call(value, '__proto__')) {
    return resolver.resolve(value);
  }
  let out: { [key: string]: any } | undefined;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const v = value[k];
    const r = renderShared(resolver, v);
    if (!out && r !== v) {
      out = {};
      for (let j = 0; j < i; j++) { out[keys[j]] = value[keys[j]]; }
    }
    if (out) { out[k] = r; }
  }
  return out ?? value;
}

function mapLogicalIds(constructs: IConstruct[]): Map<string, Map<string, IConstruct>> {
  const byStack = new Map<string, Map<string, IConstruct>>();
  for (const c of constructs) {
    if (CfnResource.isCfnResource(c)) {
      const stack = Stack.of(c);
      let ids = byStack.get(stack.node.path);
      if (!ids) {
        ids = new Map();
        byStack.set(stack.node.path, ids);
      }
      ids.set(stack.resolve(c.logicalId), c);
    }
  }
  return byStack;
}

// --- trust policies --------------------------------------------------------

/** A trust policy statement, normalized: arrays everywhere, rendered values. */
export interface TrustStatement {
  readonly effect: string;
  readonly actions: string[];
  /** The statement's NotAction, if it has one (it then covers every action it does not list). */
  readonly notActions?: string[];
  readonly principals: { [type: string]: string[] };
  /** Every condition, one entry per operator and key, in the order written. */
  readonly conditionList: readonly TrustCondition[];
  /** '*' when Principal is the bare wildcard. */
  readonly anyPrincipal: boolean;
  /** An Allow of sts:AssumeRoleWithWebIdentity from an OIDC provider (IRSA and other OIDC issuers). */
  readonly webIdentity: boolean;
  /** An Allow for pods.eks.amazonaws.com. */
  readonly podIdentity: boolean;
}

/** One condition of a trust statement: its operator, key (and the key in lower case: IAM compares keys so) and values. */
export interface TrustCondition {
  readonly operator: string;
  readonly key: string;
  readonly lowerKey: string;
  readonly values: string[];
}

/** The role's trust statements, normalized once per context. Do not modify them. */
export function trustStatements(context: AwsRuleContext, role: TemplateResource): TrustStatement[] {
  const entry = context.trustOf(role);
  return entry.statements ??= normalizeStatements(entry.document);
}

/**
 * What every rule reads of a statement, computed once per statement in plain
 * loops: at a thousand roles a cold process paid more for compiling the
 * rules' chains of entries/filter/some than for running them.
 */
function normalizeStatements(document: any): TrustStatement[] {
  const statements = asArray(document?.Statement);
  const out: TrustStatement[] = [];
  for (const s of statements) {
    const effect = s.Effect;
    const actions = strings(s.Action);
    const notActions = s.NotAction === undefined ? undefined : strings(s.NotAction);
    const principal = typeof s.Principal === 'object' && s.Principal ? s.Principal : {};
    const principals: { [type: string]: string[] } = {};
    for (const k of Object.keys(principal)) { setEntry(principals, k, strings(principal[k])); }
    const condition = typeof s.Condition === 'object' && s.Condition ? s.Condition : {};
    const conditionList: TrustCondition[] = [];
    for (const operator of Object.keys(condition)) {
      const block = condition[operator];
      if (typeof block !== 'object' || !block) { continue; }
      for (const key of Object.keys(block)) { conditionList.push({ operator, key, lowerKey: key.toLowerCase(), values: strings(block[key]) }); }
    }
    const allow = effect === 'Allow';
    out.push({
      effect, actions, notActions, anyPrincipal: s.Principal === '*', principals, conditionList,
      webIdentity: allow && statementCoversAction(actions, notActions, 'sts:AssumeRoleWithWebIdentity') &&
        (principals.Federated ?? []).some(p => !SOCIAL_PROVIDERS.includes(p)),
      podIdentity: allow && (principals.Service ?? []).includes(POD_IDENTITY_PRINCIPAL),
    });
  }
  return out;
}

/** `asArray(value).map(String)`: a list of strings as it is (read only, like the rendered document it is part of). */
function strings(value: any): string[] {
  if (typeof value === 'string') { return [value]; }
  const values = asArray(value);
  let i = 0;
  while (i < values.length && typeof values[i] === 'string') { i++; }
  if (i === values.length) { return values; }
  const out: string[] = values.slice(0, i);
  for (; i < values.length; i++) { out.push(String(values[i])); }
  return out;
}

/** An own property, as Object.fromEntries makes it (a '__proto__' key stays a key). */
function setEntry<T>(target: { [key: string]: T }, key: string, value: T): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

const SOCIAL_PROVIDERS = ['cognito-identity.amazonaws.com', 'accounts.google.com', 'graph.facebook.com', 'www.amazon.com'];

/** A role some pod assumes: it trusts an OIDC issuer or Pod Identity. */
export function isWorkloadRole(context: AwsRuleContext, role: TemplateResource): boolean {
  const entry = context.trustOf(role);
  if (entry.workload === undefined) {
    entry.workload = false;
    for (const s of trustStatements(context, role)) {
      if (s.webIdentity || s.podIdentity) { entry.workload = true; break; }
    }
  }
  return entry.workload;
}

/**
 * Whether the statement also requires `key` to equal exact values with `StringEquals`: IAM ANDs the
 * operators, so a Like pattern on the same key only narrows those values and opens nothing.
 */
export function pinnedExactly(s: TrustStatement, key: string): boolean {
  const lowerKey = key.toLowerCase();
  for (const c of s.conditionList) {
    if (c.lowerKey === lowerKey && c.operator === 'StringEquals' && c.values.length > 0) { return true; }
  }
  return false;
}

export function asArray(value: any): any[] {
  if (value === undefined || value === null) { return []; }
  return Array.isArray(value) ? value : [value];
}
