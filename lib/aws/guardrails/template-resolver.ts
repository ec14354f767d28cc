import { WorkloadIdentityError } from '../../core/validation-error';
import { regionPartition } from '../region-partition';

// The one model of CloudFormation intrinsics in this repository: the AWS
// guardrails render values with it, and the proof (test/verify) and the
// examples' cross-side check resolve whole templates with it.

/** What a value the template does not tell renders as, unless the resolver is strict. */
export const UNKNOWN = '?';

/** A synthesized CloudFormation template, as read from its file. */
export interface CfnTemplateDocument {
  readonly Resources?: { readonly [logicalId: string]: { readonly Type: string; readonly Properties?: any; readonly [key: string]: any } };
  readonly Parameters?: { readonly [name: string]: { readonly Default?: any; readonly [key: string]: any } };
  readonly [key: string]: any;
}

/** The stack a template is (imagined to be) deployed as. */
export interface TemplateEnvironment {
  readonly stackName: string;
  /** @default - unknown: a strict resolver refuses AWS::AccountId, a lenient one stands in 12 zeros */
  readonly account?: string;
  /** @default - unknown: a strict resolver refuses it, a lenient one stands in us-east-1 */
  readonly region?: string;
}

/**
 * A resource's `Ref` (`attribute` undefined) or `Fn::GetAtt` value as one
 * deployment would return it, or `undefined` where it is not known here.
 */
export type ResourceValue = (resolver: TemplateResolver, logicalId: string, attribute: string | undefined) => unknown;

/** How a `TemplateResolver` treats what the template itself does not fix. */
export interface TemplateResolverOptions {
  /**
   * Values of resources the resolver does not derive itself (it derives OIDC
   * provider ARNs, EKS cluster ARNs and issuers, and CfnJson values).
   *
   * @default - none: those values are unknown
   */
  readonly resourceValue?: ResourceValue;
  /**
   * The id in the made-up issuer URL of an EKS cluster created in the template.
   *
   * @default - 32 zeros, as long as a real one
   */
  readonly issuerId?: (logicalId: string) => string;
  /**
   * Whether an unknown value throws (for proofs, which must not evaluate a
   * guess) instead of rendering as `UNKNOWN` (for rules, which skip it).
   * Stand-ins of the same length keep rendered lengths exact when lenient.
   *
   * @default false
   */
  readonly strict?: boolean;
}

/**
 * Resolves the intrinsics of one template (Ref, Fn::GetAtt, Fn::Join,
 * Fn::Sub, Fn::Select, Fn::Split, Fn::GetAZs, Fn::FindInMap, pseudo
 * parameters, parameter defaults) to the values one deployment would have,
 * as the CloudFormation template reference defines them. Partitions and URL
 * suffixes are aws-cdk-lib's region-info's (regionPartition).
 */
export class TemplateResolver {
  /** The partition of the region (`aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-eusc`...), if region-info knows it. */
  public readonly partition?: string;
  /** The domain suffix of the region (`amazonaws.com`, `amazonaws.com.cn`, `c2s.ic.gov`...), if region-info knows it. */
  public readonly urlSuffix?: string;
  private readonly resolving = new Set<string>();

  constructor(public readonly template: CfnTemplateDocument, public readonly env: TemplateEnvironment, private readonly options: TemplateResolverOptions = {}) {
    const info = env.region ? regionPartition(env.region) : undefined;
    this.partition = info?.partition;
    this.urlSuffix = info?.domainSuffix;
  }

  /** Resolves every intrinsic in `value`. */
  public resolve(value: any): any {
    if (Array.isArray(value)) { return value.map(v => this.resolve(v)); }
    if (value === null || typeof value !== 'object') { return value; }
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      return this.intrinsic(keys[0], value[keys[0]], value);
    }
    const out: { [key: string]: any } = {};
    for (const k of keys) { out[k] = this.resolve(value[k]); }
    return out;
  }

  /** `Ref` of a pseudo parameter, a parameter or a resource. */
  public ref(name: string): any {
    switch (name) {
      case 'AWS::Partition': return this.partition ?? this.standIn('aws', 'the partition of an unknown region');
      case 'AWS::AccountId': return this.account;
      case 'AWS::Region': return this.region;
      case 'AWS::URLSuffix': return this.urlSuffix ?? this.standIn('amazonaws.com', 'the URL suffix of an unknown region');
      case 'AWS::StackName': return this.env.stackName;
      case 'AWS::StackId': return `arn:${this.ref('AWS::Partition')}:cloudformation:${this.region}:${this.account}:stack/${this.env.stackName}/00000000-0000-0000-0000-000000000000`;
      case 'AWS::NoValue': return undefined;
    }
    const parameter = this.template.Parameters?.[name];
    if (parameter) {
      // A lenient resolver does not trust a default the deployer may override.
      return this.options.strict && parameter.Default !== undefined ? parameter.Default : this.unknown(() => `parameter '${name}' has no value here`);
    }
    return this.guard(`${name}#Ref`, () => this.resourceValue(name, undefined));
  }

  /** `Fn::GetAtt` of a resource. */
  public getAtt(logicalId: string, attribute: string): any {
    return this.guard(`${logicalId}#${attribute}`, () => this.resourceValue(logicalId, attribute));
  }

  /** The resource of a logical id, if the template has it. */
  public resource(logicalId: string): { readonly Type: string; readonly Properties?: any } | undefined {
    return this.template.Resources?.[logicalId];
  }

  /** The account, or its stand-in. */
  public get account(): string {
    return this.env.account ?? this.standIn('000000000000', 'the account of an environment-agnostic stack');
  }

  /** The region, or its stand-in. */
  public get region(): string {
    return this.env.region ?? this.standIn('us-east-1', 'the region of an environment-agnostic stack');
  }

  private intrinsic(fn: string, arg: any, whole: any): any {
    switch (fn) {
      case 'Ref': return this.ref(arg);
      case 'Fn::GetAtt': {
        const [id, attr] = Array.isArray(arg) ? arg : String(arg).split(/\.(.+)/);
        return this.getAtt(id, attr);
      }
      case 'Fn::Join': {
        const parts = this.resolve(arg[1]);
        if (!Array.isArray(parts)) { return this.unknown(() => `Fn::Join of ${JSON.stringify(arg[1])}`); }
        return parts.map(p => typeof p === 'string' || this.options.strict ? String(p) : UNKNOWN).join(arg[0]);
      }
      case 'Fn::Split': {
        const source = this.resolve(arg[1]);
        return typeof source === 'string' ? source.split(arg[0]) : [this.unknown(() => `Fn::Split of ${JSON.stringify(arg[1])}`)];
      }
      case 'Fn::Select': {
        const items = this.resolve(arg[1]);
        const i = Number(this.resolve(arg[0]));
        return Array.isArray(items) && items[i] !== undefined ? items[i] : this.unknown(() => `Fn::Select index ${i} out of ${JSON.stringify(items)}`);
      }
      case 'Fn::Sub': return this.sub(arg);
      case 'Fn::GetAZs': {
        // The zones of the Region named, or of the stack's for '' (or Ref AWS::Region); offline, three made-up ones.
        const region = this.resolve(arg);
        if (region !== undefined && typeof region !== 'string') { return this.unknown(() => `Fn::GetAZs of ${JSON.stringify(arg)}`); }
        return ['a', 'b', 'c'].map(az => `${region || this.region}${az}`);
      }
      case 'Fn::FindInMap': return this.findInMap(arg, whole);
      default: return this.unknown(() => `${fn} is not modelled offline (${JSON.stringify(whole)})`);
    }
  }

  /**
   * `Fn::FindInMap: [MapName, TopLevelKey, SecondLevelKey]` (each key may be
   * an intrinsic) reads the template's `Mappings`; with the
   * AWS::LanguageExtensions transform a fourth `{ DefaultValue }` stands for
   * a missing key. A missing key fails the deployment: unknown here.
   */
  private findInMap(arg: any, whole: any): any {
    if (!Array.isArray(arg) || arg.length < 3) { return this.unknown(() => `malformed ${JSON.stringify(whole)}`); }
    const [map, top, second] = arg.slice(0, 3).map(x => this.resolve(x));
    const value = [map, top, second].every(k => typeof k === 'string') ? this.template.Mappings?.[map]?.[top]?.[second] : undefined;
    if (value !== undefined) { return value; }
    const fallback = arg[3]?.DefaultValue;
    return fallback !== undefined ? this.resolve(fallback) : this.unknown(() => `Fn::FindInMap ${JSON.stringify([map, top, second])} is not in the template's Mappings`);
  }

  /** `${Name}` is a variable, a parameter, a pseudo parameter or a resource's Ref, `${Id.Attr}` a GetAtt; `${!Text}` is the literal `${Text}`. */
  private sub(arg: any): string {
    const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
    return String(text).replace(/\$\{([^}]*)\}/g, (_m, inner: string) => {
      if (inner.startsWith('!')) { return `\${${inner.slice(1)}}`; }
      const name = inner;
      const v = vars?.[name] !== undefined ? this.resolve(vars[name])
        : name.includes('.') && !name.startsWith('AWS::') ? this.getAtt(name.split(/\.(.+)/)[0], name.split(/\.(.+)/)[1])
          : this.ref(name);
      return typeof v === 'string' || this.options.strict ? String(v) : UNKNOWN;
    });
  }

  /** What the resolver derives itself; then the caller's values; then unknown. */
  private resourceValue(logicalId: string, attribute: string | undefined): any {
    const r = this.resource(logicalId);
    if (!r) { return this.unknown(() => `stack '${this.env.stackName}' has no resource '${logicalId}'`); }
    const p = r.Properties ?? {};
    const partition = () => this.ref('AWS::Partition');
    const known = (() => {
      switch (`${r.Type}.${attribute ?? 'Ref'}`) {
        case 'AWS::IAM::OIDCProvider.Ref':
        case 'AWS::IAM::OIDCProvider.Arn':
        case 'Custom::AWSCDKOpenIdConnectProvider.Ref':
        case 'Custom::AWSCDKOpenIdConnectProvider.Arn': {
          const url = this.resolve(p.Url);
          return `arn:${partition()}:iam::${this.account}:oidc-provider/${typeof url === 'string' ? url.replace(/^https:\/\//, '') : UNKNOWN}`;
        }
        case 'AWS::EKS::Cluster.Ref':
          return p.Name !== undefined ? this.resolve(p.Name) : undefined;
        case 'AWS::EKS::Cluster.Arn':
          return `arn:${partition()}:eks:${this.region}:${this.account}:cluster/${this.ref(logicalId)}`;
        case 'AWS::EKS::Cluster.OpenIdConnectIssuerUrl':
          // A made-up but well-formed EKS issuer: https://oidc.eks.<region>.<suffix>/id/<32 hex characters>.
          return `https://oidc.eks.${this.region}.${this.ref('AWS::URLSuffix')}/id/${this.options.issuerId?.(logicalId) ?? '0'.repeat(32)}`;
        case 'Custom::AWSCDKCfnJson.Value': {
          // CfnJson's custom resource returns its Value property, parsed.
          const json = this.resolve(p.Value);
          try {
            return typeof json === 'string' ? JSON.parse(json) : undefined;
          } catch {
            return undefined;
          }
        }
        default: return undefined;
      }
    })();
    const value = known ?? this.options.resourceValue?.(this, logicalId, attribute);
    return value ?? this.unknown(() => `the ${attribute ?? 'Ref'} of ${r.Type} '${logicalId}'`);
  }

  /** `what` is only formatted when a strict resolver throws: a lenient one renders thousands of unknowns (an imported value per role) without it. */
  private unknown(what: () => string): any {
    if (this.options.strict) { throw new WorkloadIdentityError(`Cannot resolve offline: ${what()} (stack '${this.env.stackName}').`); }
    return UNKNOWN;
  }

  private standIn(value: string, what: string): string {
    return this.options.strict ? this.unknown(() => what) : value;
  }

  private guard<T>(key: string, fn: () => T): T {
    if (this.resolving.has(key)) { return this.unknown(() => `a circular reference through ${key}`); }
    this.resolving.add(key);
    try {
      return fn();
    } finally {
      this.resolving.delete(key);
    }
  }
}
