/**
 * The proof's own model of CloudFormation's intrinsic functions, written from
 * the CloudFormation User Guide ("Intrinsic function reference", "Pseudo
 * parameters reference", "Fn::GetStackOutput", the resource types' "Return
 * values") and the AWS General Reference's partitions, not from lib/: the proof
 * must not read templates through the code it judges. The library's own
 * resolver (lib/aws/guardrails/template-resolver.ts) is run beside it over
 * every template the proof reads, and any difference fails
 * (library-resolver-agreement.ts).
 *
 * Strict: whatever one imagined deployment does not fix throws, nothing is guessed.
 */

/** A synthesized CloudFormation template, as read from its file. */
export interface CfnTemplateDocument {
  readonly Resources?: { readonly [logicalId: string]: { readonly Type: string; readonly Properties?: any; readonly [key: string]: any } };
  readonly Parameters?: { readonly [name: string]: { readonly Type?: string; readonly Default?: any; readonly [key: string]: any } };
  readonly Mappings?: { readonly [name: string]: any };
  readonly Conditions?: { readonly [name: string]: any };
  readonly Outputs?: { readonly [name: string]: any };
  readonly [key: string]: any;
}

/** The stack a template is imagined to be deployed as. */
export interface CfnDeployment {
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
}

/** What one stack takes from another: an export by name, or a stack's output (Fn::GetStackOutput). */
export interface CfnImports {
  exportNamed(name: string): unknown;
  stackOutput(stackName: string, outputName: string, region: string | undefined, account: string | undefined): unknown;
}

export interface CfnIntrinsicsOptions {
  /** `Ref` (attribute undefined) or `Fn::GetAtt` of a resource type this file does not derive: the imagined physical value. */
  readonly resourceValue: (logicalId: string, attribute: string | undefined) => unknown;
  /** The id in the issuer URL of an EKS cluster created in the template. */
  readonly issuerId: (logicalId: string) => string;
  /** Values taken from other stacks; without it, Fn::ImportValue and Fn::GetStackOutput throw. */
  readonly imports?: CfnImports;
}

/**
 * AWS partitions (AWS General Reference, "AWS partitions"; the region name
 * prefixes and DNS suffixes each partition's endpoints use). A region that
 * matches none is unknown here, and refused.
 */
const PARTITIONS: { readonly partition: string; readonly regions: RegExp; readonly urlSuffix: string }[] = [
  { partition: 'aws-cn', regions: /^cn-[a-z]+-\d+$/, urlSuffix: 'amazonaws.com.cn' },
  { partition: 'aws-us-gov', regions: /^us-gov-[a-z]+-\d+$/, urlSuffix: 'amazonaws.com' },
  { partition: 'aws-iso', regions: /^us-iso-[a-z]+-\d+$/, urlSuffix: 'c2s.ic.gov' },
  { partition: 'aws-iso-b', regions: /^us-isob-[a-z]+-\d+$/, urlSuffix: 'sc2s.sgov.gov' },
  { partition: 'aws-iso-e', regions: /^eu-isoe-[a-z]+-\d+$/, urlSuffix: 'cloud.adc-e.uk' },
  { partition: 'aws-iso-f', regions: /^us-isof-[a-z]+-\d+$/, urlSuffix: 'csp.hci.ic.gov' },
  { partition: 'aws-eusc', regions: /^eusc-[a-z]+-[a-z]+-\d+$/, urlSuffix: 'amazonaws.eu' },
  { partition: 'aws', regions: /^(us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d+$/, urlSuffix: 'amazonaws.com' },
];

/** The partition and URL suffix of a region, from the table above. */
export function partitionOfRegion(region: string): { partition: string; urlSuffix: string } {
  const p = PARTITIONS.find(x => x.regions.test(region));
  if (!p) { throw new Error(`Region '${region}' is in no partition the proof knows.`); }
  return { partition: p.partition, urlSuffix: p.urlSuffix };
}

/** The value of `Ref`/`Fn::GetAtt` of a resource, where the resource type's documented return value is known here. */
const RETURN_VALUES: { [typeAndAttribute: string]: (c: { p: any; resolve: (v: any) => any; ref: () => any; env: CfnDeployment & { partition: string; urlSuffix: string }; issuer: () => string }) => unknown } = {
  // AWS::IAM::OIDCProvider: Ref and Arn are the provider's ARN, arn:<partition>:iam::<account>:oidc-provider/<url without https://>.
  'AWS::IAM::OIDCProvider.Ref': c => oidcProviderArn(c.env, c.resolve(c.p.Url)),
  'AWS::IAM::OIDCProvider.Arn': c => oidcProviderArn(c.env, c.resolve(c.p.Url)),
  // aws-cdk-lib's OpenIdConnectProvider custom resource returns the ARN IAM gave the provider as its physical id.
  'Custom::AWSCDKOpenIdConnectProvider.Ref': c => oidcProviderArn(c.env, c.resolve(c.p.Url)),
  'Custom::AWSCDKOpenIdConnectProvider.Arn': c => oidcProviderArn(c.env, c.resolve(c.p.Url)),
  // AWS::EKS::Cluster: Ref is the name; Arn; OpenIdConnectIssuerUrl is https://oidc.eks.<region>.<suffix>/id/<id>.
  'AWS::EKS::Cluster.Arn': c => `arn:${c.env.partition}:eks:${c.env.region}:${c.env.account}:cluster/${c.ref()}`,
  'AWS::EKS::Cluster.OpenIdConnectIssuerUrl': c => `https://oidc.eks.${c.env.region}.${c.env.urlSuffix}/id/${c.issuer()}`,
  // aws-cdk-lib's CfnJson custom resource returns its Value property parsed as JSON, as attribute Value.
  'Custom::AWSCDKCfnJson.Value': c => {
    const json = c.resolve(c.p.Value);
    if (typeof json !== 'string') { throw new Error(`CfnJson Value is not a string: ${JSON.stringify(json)}`); }
    return JSON.parse(json);
  },
};

function oidcProviderArn(env: CfnDeployment & { partition: string }, url: unknown): string {
  if (typeof url !== 'string' || !url.startsWith('https://')) { throw new Error(`An OIDC provider's Url is not an https URL: ${JSON.stringify(url)}`); }
  return `arn:${env.partition}:iam::${env.account}:oidc-provider/${url.slice('https://'.length)}`;
}

/** One template's intrinsics, resolved for one imagined deployment. */
export class CfnIntrinsics {
  public readonly partition: string;
  public readonly urlSuffix: string;
  private readonly resolving = new Set<string>();

  constructor(public readonly template: CfnTemplateDocument, public readonly env: CfnDeployment, private readonly options: CfnIntrinsicsOptions) {
    ({ partition: this.partition, urlSuffix: this.urlSuffix } = partitionOfRegion(env.region));
  }

  /** Resolves every intrinsic function in `value`; a property that is `Ref: AWS::NoValue` is removed. */
  public resolve(value: any): any {
    if (Array.isArray(value)) { return value.map(v => this.resolve(v)).filter(v => v !== NO_VALUE); }
    if (value === null || typeof value !== 'object') { return value; }
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition')) {
      const v = this.fn(keys[0], value[keys[0]]);
      return v;
    }
    const out: { [key: string]: any } = {};
    for (const k of keys) {
      const v = this.resolve(value[k]);
      if (v !== NO_VALUE) { out[k] = v; }
    }
    return out;
  }

  /** Resolves a value and drops an `AWS::NoValue` at the top. */
  public resolveValue(value: any): any {
    const v = this.resolve(value);
    return v === NO_VALUE ? undefined : v;
  }

  /** `Ref`: a pseudo parameter, a parameter (its default), or a resource's documented return value. */
  public ref(name: string): any {
    const { account, region, stackName } = this.env;
    switch (name) {
      case 'AWS::AccountId': return account;
      case 'AWS::Region': return region;
      case 'AWS::Partition': return this.partition;
      case 'AWS::URLSuffix': return this.urlSuffix;
      case 'AWS::StackName': return stackName;
      case 'AWS::StackId': return `arn:${this.partition}:cloudformation:${region}:${account}:stack/${stackName}/00000000-0000-0000-0000-000000000000`;
      case 'AWS::NotificationARNs': return [];
      case 'AWS::NoValue': return NO_VALUE;
    }
    const parameter = this.template.Parameters?.[name];
    if (parameter) {
      // An SSM parameter type's default is the parameter's name, not its value: unknown offline.
      if (parameter.Default === undefined || String(parameter.Type ?? '').startsWith('AWS::SSM::')) {
        throw new Error(`Parameter '${name}' of stack '${stackName}' has no value offline.`);
      }
      return parameter.Default;
    }
    return this.returnValue(name, undefined);
  }

  /** `Fn::GetAtt` of a resource. */
  public getAtt(logicalId: string, attribute: string): any {
    return this.returnValue(logicalId, attribute);
  }

  private returnValue(logicalId: string, attribute: string | undefined): any {
    const resource = this.template.Resources?.[logicalId];
    if (!resource) { throw new Error(`Stack '${this.env.stackName}' has no resource '${logicalId}'.`); }
    const key = `${logicalId}.${attribute ?? 'Ref'}`;
    if (this.resolving.has(key)) { throw new Error(`Circular reference through ${key} in stack '${this.env.stackName}'.`); }
    this.resolving.add(key);
    try {
      const p = resource.Properties ?? {};
      // AWS::EKS::Cluster's Ref is its name: the Name property, else the generated one.
      if (resource.Type === 'AWS::EKS::Cluster' && attribute === undefined && p.Name !== undefined) { return this.resolve(p.Name); }
      const documented = RETURN_VALUES[`${resource.Type}.${attribute ?? 'Ref'}`];
      const value = documented
        ? documented({
          p, resolve: v => this.resolve(v), ref: () => this.ref(logicalId), issuer: () => this.options.issuerId(logicalId),
          env: { ...this.env, partition: this.partition, urlSuffix: this.urlSuffix },
        })
        : this.options.resourceValue(logicalId, attribute);
      if (value === undefined) { throw new Error(`The ${attribute ?? 'Ref'} of ${resource.Type} '${logicalId}' has no value offline (stack '${this.env.stackName}').`); }
      return value;
    } finally {
      this.resolving.delete(key);
    }
  }

  private fn(name: string, arg: any): any {
    switch (name) {
      case 'Ref': return this.ref(arg);
      case 'Fn::GetAtt': {
        // [logicalId, attribute] or "logicalId.attribute"; the attribute name may itself contain dots.
        const [id, attribute] = Array.isArray(arg) ? [arg[0], this.resolve(arg[1])] : splitOnce(String(arg));
        return this.getAtt(id, attribute);
      }
      case 'Fn::Join': {
        const [delimiter, list] = arg;
        const items = this.resolve(list);
        if (!Array.isArray(items)) { throw new Error(`Fn::Join of a non-list: ${JSON.stringify(list)}`); }
        return items.map(x => this.scalar(x, 'Fn::Join')).join(delimiter);
      }
      case 'Fn::Split': {
        const [delimiter, source] = arg;
        const s = this.resolve(source);
        if (typeof s !== 'string') { throw new Error(`Fn::Split of a non-string: ${JSON.stringify(source)}`); }
        return s.split(delimiter);
      }
      case 'Fn::Select': {
        const index = Number(this.resolve(arg[0]));
        const list = this.resolve(arg[1]);
        if (!Array.isArray(list) || !Number.isInteger(index) || index < 0 || index >= list.length) {
          throw new Error(`Fn::Select ${index} out of ${JSON.stringify(list)}`);
        }
        return list[index];
      }
      case 'Fn::Sub': return this.sub(arg);
      case 'Fn::GetAZs': {
        const region = this.resolve(arg) || this.env.region;
        return ['a', 'b', 'c'].map(az => `${region}${az}`);
      }
      case 'Fn::FindInMap': {
        const [map, top, second] = arg.map((x: any) => this.resolve(x));
        const v = this.template.Mappings?.[map]?.[top]?.[second];
        if (v === undefined) { throw new Error(`Fn::FindInMap ${map}/${top}/${second} is not in the template's Mappings.`); }
        return v;
      }
      case 'Fn::If': {
        const [condition, ifTrue, ifFalse] = arg;
        return this.condition(condition) ? this.resolve(ifTrue) : this.resolve(ifFalse);
      }
      case 'Condition': return this.condition(arg);
      case 'Fn::Equals': return JSON.stringify(this.resolve(arg[0])) === JSON.stringify(this.resolve(arg[1]));
      case 'Fn::Not': return !this.resolve(arg[0]);
      case 'Fn::And': return arg.every((x: any) => this.resolve(x) === true);
      case 'Fn::Or': return arg.some((x: any) => this.resolve(x) === true);
      case 'Fn::Base64': return Buffer.from(String(this.resolve(arg))).toString('base64');
      case 'Fn::ToJsonString': return JSON.stringify(this.resolve(arg));
      case 'Fn::Length': {
        const list = this.resolve(arg);
        if (!Array.isArray(list)) { throw new Error(`Fn::Length of a non-list: ${JSON.stringify(arg)}`); }
        return list.length;
      }
      case 'Fn::ImportValue': {
        if (!this.options.imports) { throw new Error(`Fn::ImportValue without the app's exports (stack '${this.env.stackName}').`); }
        return this.options.imports.exportNamed(String(this.resolve(arg)));
      }
      case 'Fn::GetStackOutput': {
        if (!this.options.imports) { throw new Error(`Fn::GetStackOutput without the app's stacks (stack '${this.env.stackName}').`); }
        const { StackName, OutputName, Region, RoleArn } = arg;
        const account = RoleArn !== undefined ? String(this.resolve(RoleArn)).split(':')[4] : undefined;
        return this.options.imports.stackOutput(String(this.resolve(StackName)), String(this.resolve(OutputName)), Region !== undefined ? String(this.resolve(Region)) : undefined, account);
      }
      default: throw new Error(`${name} is not modelled offline (stack '${this.env.stackName}').`);
    }
  }

  private condition(name: string): boolean {
    const c = this.template.Conditions?.[name];
    if (c === undefined) { throw new Error(`Stack '${this.env.stackName}' has no condition '${name}'.`); }
    return this.resolve(c) === true;
  }

  /** `Fn::Sub`: `${Name}` is a variable, a parameter, a pseudo parameter or a resource's Ref; `${Id.Attr}` its GetAtt; `${!Text}` is the literal `${Text}`. */
  private sub(arg: any): string {
    const [text, variables] = Array.isArray(arg) ? arg : [arg, {}];
    return String(text).replace(/\$\{([^}]*)\}/g, (_m, inner: string) => {
      if (inner.startsWith('!')) { return `\${${inner.slice(1)}}`; }
      const name = inner.trim();
      const v = variables?.[name] !== undefined ? this.resolve(variables[name])
        : name.includes('.') && !name.startsWith('AWS::') ? this.getAtt(...splitOnce(name))
          : this.ref(name);
      return this.scalar(v, 'Fn::Sub');
    });
  }

  private scalar(v: unknown, where: string): string {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') { return String(v); }
    throw new Error(`${where} of a value that is not a string: ${JSON.stringify(v)} (stack '${this.env.stackName}').`);
  }
}

/** What `Ref: AWS::NoValue` resolves to before its property is removed. */
const NO_VALUE = Symbol('AWS::NoValue');

function splitOnce(s: string): [string, string] {
  const i = s.indexOf('.');
  if (i < 0) { throw new Error(`Fn::GetAtt '${s}' names no attribute.`); }
  return [s.slice(0, i), s.slice(i + 1)];
}
