/**
 * Resolves CloudFormation intrinsics in a synthesized template to the literal
 * values one imagined deployment would have, so policies can be evaluated
 * offline. Physical names are derived from logical ids, the way CloudFormation
 * generates them; nothing is looked up in an account.
 */

export interface CfnTemplate {
  readonly Resources: { [logicalId: string]: CfnResource };
  readonly [key: string]: any;
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: { [key: string]: any };
  readonly Metadata?: { [key: string]: any };
  readonly [key: string]: any;
}

export interface DeploymentEnv {
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  readonly partition?: string;
}

/** A template bound to the environment it is (imagined to be) deployed into. */
export class ResolvedTemplate {
  private readonly partition: string;
  private readonly resolving = new Set<string>();

  constructor(public readonly template: CfnTemplate, public readonly env: DeploymentEnv) {
    this.partition = env.partition ?? 'aws';
  }

  /** Logical ids of the resources of one type. */
  public logicalIdsOfType(type: string): string[] {
    return Object.entries(this.template.Resources).filter(([, r]) => r.Type === type).map(([id]) => id);
  }

  /** The single resource of `type` whose logical id starts with `prefix` (as CDK derives it from the construct id). */
  public logicalIdOf(type: string, prefix: string): string {
    const ids = this.logicalIdsOfType(type).filter(id => id.startsWith(prefix));
    if (ids.length !== 1) {
      throw new Error(`Stack '${this.env.stackName}' has ${ids.length} ${type} resources whose logical id starts with '${prefix}' (${ids.join(', ')}); expected exactly one.`);
    }
    return ids[0];
  }

  public resource(logicalId: string): CfnResource {
    const r = this.template.Resources[logicalId];
    if (!r) { throw new Error(`Stack '${this.env.stackName}' has no resource '${logicalId}'.`); }
    return r;
  }

  /** The resolved properties of a resource. */
  public properties(logicalId: string): { [key: string]: any } {
    return this.resolve(this.resource(logicalId).Properties ?? {});
  }

  /** `Ref` of a resource, as CloudFormation would return it. */
  public ref(logicalId: string): string {
    return this.guard(`${logicalId}#Ref`, () => {
      const r = this.resource(logicalId);
      const p = r.Properties ?? {};
      const name = (prop: string, fallback: () => string) => p[prop] !== undefined ? String(this.resolve(p[prop])) : fallback();
      switch (r.Type) {
        case 'AWS::IAM::Role':
        case 'AWS::IAM::User':
          return name(r.Type === 'AWS::IAM::Role' ? 'RoleName' : 'UserName', () => this.generatedName(logicalId, 64));
        case 'AWS::IAM::OIDCProvider': {
          const url = String(this.resolve(p.Url)).replace(/^https:\/\//, '');
          return `arn:${this.partition}:iam::${this.env.account}:oidc-provider/${url}`;
        }
        case 'AWS::IAM::ManagedPolicy':
          return `arn:${this.partition}:iam::${this.env.account}:policy/${name('ManagedPolicyName', () => this.generatedName(logicalId, 128))}`;
        case 'AWS::S3::Bucket':
          return name('BucketName', () => this.generatedName(logicalId, 63).toLowerCase());
        case 'AWS::DynamoDB::Table':
        case 'AWS::DynamoDB::GlobalTable':
          return name('TableName', () => this.generatedName(logicalId, 255));
        case 'AWS::SecretsManager::Secret':
          return `arn:${this.partition}:secretsmanager:${this.env.region}:${this.env.account}:secret:${name('Name', () => this.generatedName(logicalId, 200))}-AbCdEf`;
        case 'AWS::SQS::Queue':
          return `https://sqs.${this.env.region}.amazonaws.com/${this.env.account}/${this.queueName(logicalId)}`;
        case 'AWS::EKS::Cluster':
          return name('Name', () => this.generatedName(logicalId, 100));
        case 'AWS::Lambda::Function':
          return name('FunctionName', () => this.generatedName(logicalId, 64));
        case 'AWS::KMS::Key':
          return `${logicalId.toLowerCase().slice(0, 8)}-0000-0000-0000-000000000000`;
        default:
          return `${logicalId}-physical-id`;
      }
    });
  }

  /** `Fn::GetAtt` of a resource. */
  public getAtt(logicalId: string, attribute: string): any {
    return this.guard(`${logicalId}#${attribute}`, () => {
      const r = this.resource(logicalId);
      const p = r.Properties ?? {};
      const { partition, env: { account, region } } = this;
      switch (`${r.Type}.${attribute}`) {
        case 'AWS::IAM::Role.Arn': return `arn:${partition}:iam::${account}:role/${this.ref(logicalId)}`;
        case 'AWS::IAM::Role.RoleId': return `AROA${logicalId.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 17)}`;
        case 'AWS::IAM::OIDCProvider.Arn': return this.ref(logicalId);
        case 'AWS::S3::Bucket.Arn': return `arn:${partition}:s3:::${this.ref(logicalId)}`;
        case 'AWS::S3::Bucket.DomainName': return `${this.ref(logicalId)}.s3.amazonaws.com`;
        case 'AWS::S3::Bucket.RegionalDomainName': return `${this.ref(logicalId)}.s3.${region}.amazonaws.com`;
        case 'AWS::DynamoDB::Table.Arn':
        case 'AWS::DynamoDB::GlobalTable.Arn': return `arn:${partition}:dynamodb:${region}:${account}:table/${this.ref(logicalId)}`;
        case 'AWS::DynamoDB::Table.StreamArn':
        case 'AWS::DynamoDB::GlobalTable.StreamArn': return `arn:${partition}:dynamodb:${region}:${account}:table/${this.ref(logicalId)}/stream/2024-01-01T00:00:00.000`;
        case 'AWS::SQS::Queue.Arn': return `arn:${partition}:sqs:${region}:${account}:${this.queueName(logicalId)}`;
        case 'AWS::SQS::Queue.QueueName': return this.queueName(logicalId);
        case 'AWS::SQS::Queue.QueueUrl': return this.ref(logicalId);
        case 'AWS::EKS::Cluster.Arn': return `arn:${partition}:eks:${region}:${account}:cluster/${this.ref(logicalId)}`;
        case 'AWS::EKS::Cluster.OpenIdConnectIssuerUrl':
          // A made-up but well-formed EKS issuer, unique per cluster.
          return `https://oidc.eks.${region}.amazonaws.com/id/${fakeId(`${this.env.stackName}/${logicalId}`)}`;
        case 'AWS::Lambda::Function.Arn': return `arn:${partition}:lambda:${region}:${account}:function:${this.ref(logicalId)}`;
        case 'AWS::KMS::Key.Arn': return `arn:${partition}:kms:${region}:${account}:key/${this.ref(logicalId)}`;
        default:
          if (r.Type === 'Custom::AWSCDKCfnJson' && attribute === 'Value') {
            // CfnJson's custom resource returns its Value property, parsed.
            return JSON.parse(String(this.resolve(p.Value)));
          }
          return `${logicalId}.${attribute}`;
      }
    });
  }

  /** Resolves every intrinsic in `value`. */
  public resolve(value: any): any {
    if (Array.isArray(value)) { return value.map(v => this.resolve(v)); }
    if (value === null || typeof value !== 'object') { return value; }
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const [fn] = keys;
      const arg = value[fn];
      switch (fn) {
        case 'Ref': return this.resolveRef(arg);
        case 'Fn::GetAtt': {
          const [id, attr] = Array.isArray(arg) ? arg : String(arg).split(/\.(.+)/);
          return this.getAtt(id, attr);
        }
        case 'Fn::Join': {
          const [sep, parts] = arg;
          return (this.resolve(parts) as any[]).map(String).join(sep);
        }
        case 'Fn::Select': {
          const [index, list] = arg;
          const items = this.resolve(list);
          const i = Number(this.resolve(index));
          if (!Array.isArray(items) || i >= items.length) { throw new Error(`Fn::Select index ${i} out of ${JSON.stringify(items)}`); }
          return items[i];
        }
        case 'Fn::Split': {
          const [sep, source] = arg;
          return String(this.resolve(source)).split(sep);
        }
        case 'Fn::Sub': return this.resolveSub(arg);
        case 'Fn::GetAZs': return [`${this.env.region}a`, `${this.env.region}b`, `${this.env.region}c`];
        case 'Fn::ImportValue':
        case 'Fn::If':
        case 'Fn::FindInMap':
          throw new Error(`${fn} is not supported by the offline resolver (${JSON.stringify(value)}).`);
        default:
          break;
      }
    }
    const out: { [key: string]: any } = {};
    for (const k of keys) {
      out[k] = this.resolve(value[k]);
    }
    return out;
  }

  private resolveRef(name: string): string {
    switch (name) {
      case 'AWS::Partition': return this.partition;
      case 'AWS::AccountId': return this.env.account;
      case 'AWS::Region': return this.env.region;
      case 'AWS::URLSuffix': return 'amazonaws.com';
      case 'AWS::StackName': return this.env.stackName;
      case 'AWS::StackId': return `arn:${this.partition}:cloudformation:${this.env.region}:${this.env.account}:stack/${this.env.stackName}/00000000-0000-0000-0000-000000000000`;
      case 'AWS::NoValue': return undefined as any;
      default: {
        const parameters = this.template.Parameters ?? {};
        if (parameters[name]) {
          if (parameters[name].Default === undefined) { throw new Error(`Parameter '${name}' has no default.`); }
          return parameters[name].Default;
        }
        return this.ref(name);
      }
    }
  }

  private resolveSub(arg: any): string {
    const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
    return String(text).replace(/\$\{([^}!][^}]*)\}/g, (_m, name: string) => {
      if (vars[name] !== undefined) { return String(this.resolve(vars[name])); }
      if (name.includes('.') && !name.startsWith('AWS::')) {
        const [id, attr] = name.split(/\.(.+)/);
        return String(this.getAtt(id, attr));
      }
      return this.resolveRef(name);
    });
  }

  private queueName(logicalId: string): string {
    const p = this.resource(logicalId).Properties ?? {};
    return p.QueueName !== undefined ? String(this.resolve(p.QueueName)) : this.generatedName(logicalId, 80);
  }

  /** CloudFormation's generated physical name: stack name, logical id, random suffix. */
  private generatedName(logicalId: string, max: number): string {
    const suffix = fakeId(`${this.env.stackName}/${logicalId}`).slice(0, 12);
    return `${this.env.stackName}-${logicalId}`.slice(0, max - suffix.length - 1) + '-' + suffix;
  }

  private guard<T>(key: string, fn: () => T): T {
    if (this.resolving.has(key)) { throw new Error(`Circular reference while resolving ${key} in stack '${this.env.stackName}'.`); }
    this.resolving.add(key);
    try {
      return fn();
    } finally {
      this.resolving.delete(key);
    }
  }
}

/** A deterministic upper-case hex id, so reruns resolve to the same names. */
function fakeId(seed: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < seed.length; i++) {
    h1 = Math.imul(h1 ^ seed.charCodeAt(i), 16777619) >>> 0;
    h2 = Math.imul(h2 ^ seed.charCodeAt(i), 2246822519) >>> 0;
  }
  return (h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0') + (h1 ^ h2).toString(16).padStart(8, '0') + '00000000').toUpperCase();
}
