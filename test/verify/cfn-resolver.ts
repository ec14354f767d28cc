/**
 * A synthesized template bound to one imagined deployment, so policies can be
 * evaluated offline. The intrinsics are the proof's own model
 * (cfn-intrinsics.ts, strict: nothing unknown is guessed), never the
 * library's; this file adds what only an imagined deployment has: physical
 * names derived from logical ids, the way CloudFormation generates them, the
 * ARNs and URLs built from them, and the values other stacks of the app export.
 * Nothing is looked up in an account.
 */
import { CfnImports, CfnIntrinsics, CfnTemplateDocument } from './cfn-intrinsics';

export interface CfnTemplate extends CfnTemplateDocument {
  readonly Resources: { [logicalId: string]: CfnResource };
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
}

/** What the stacks of one app export to each other, resolved in the producing stack when first read. */
export interface AppImports extends CfnImports {
  /** aws-cdk-lib's cross-region references: the value a Custom::CrossRegionExportWriter wrote to this SSM parameter. */
  crossRegion(parameterName: string): unknown;
}

/** A template bound to the environment it is (imagined to be) deployed into. */
export class ResolvedTemplate {
  private readonly resolver: CfnIntrinsics;

  constructor(public readonly template: CfnTemplate, public readonly env: DeploymentEnv, private readonly imports?: AppImports) {
    this.resolver = new CfnIntrinsics(template, env, {
      resourceValue: (logicalId, attribute) => attribute === undefined ? this.physicalRef(logicalId) : this.physicalAttribute(logicalId, attribute),
      issuerId: logicalId => ResolvedTemplate.issuerId(env.stackName, logicalId),
      imports,
    });
  }

  /** The made-up id in the issuer URL of an EKS cluster created in a template. */
  public static issuerId(stackName: string, logicalId: string): string {
    return fakeId(`${stackName}/${logicalId}`);
  }

  /** The partition of the environment's region. */
  public get partition(): string {
    return this.resolver.partition;
  }

  /** Logical ids of the resources of one type. */
  public logicalIdsOfType(type: string): string[] {
    // A stack without resources has none (CDKMetadata is added only in regions that collect it).
    return Object.entries(this.template.Resources ?? {}).filter(([, r]) => r.Type === type).map(([id]) => id);
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
    const r = this.template.Resources?.[logicalId];
    if (!r) { throw new Error(`Stack '${this.env.stackName}' has no resource '${logicalId}'.`); }
    return r;
  }

  /** The resolved properties of a resource. */
  public properties(logicalId: string): { [key: string]: any } {
    return this.resolve(this.resource(logicalId).Properties ?? {});
  }

  /** `Ref` of a resource, as CloudFormation would return it. */
  public ref(logicalId: string): string {
    this.resource(logicalId);
    return this.resolver.ref(logicalId);
  }

  /** `Fn::GetAtt` of a resource. */
  public getAtt(logicalId: string, attribute: string): any {
    this.resource(logicalId);
    return this.resolver.getAtt(logicalId, attribute);
  }

  /** Resolves every intrinsic in `value`. */
  public resolve(value: any): any {
    return this.resolver.resolveValue(value);
  }

  /** The physical value of a resource's Ref (`attribute` undefined) or attribute that cfn-intrinsics.ts does not derive. */
  public physicalValue(logicalId: string, attribute: string | undefined): unknown {
    return attribute === undefined ? this.physicalRef(logicalId) : this.physicalAttribute(logicalId, attribute);
  }

  /** The physical id CloudFormation would return as `Ref`. */
  private physicalRef(logicalId: string): string {
    const r = this.resource(logicalId);
    const p = r.Properties ?? {};
    const { partition, env: { account, region } } = this;
    const name = (prop: string, fallback: () => string) => p[prop] !== undefined ? String(this.resolve(p[prop])) : fallback();
    switch (r.Type) {
      case 'AWS::IAM::Role':
      case 'AWS::IAM::User':
        return name(r.Type === 'AWS::IAM::Role' ? 'RoleName' : 'UserName', () => this.generatedName(logicalId, 64));
      case 'AWS::IAM::ManagedPolicy':
        return `arn:${partition}:iam::${account}:policy/${name('ManagedPolicyName', () => this.generatedName(logicalId, 128))}`;
      case 'AWS::S3::Bucket':
        return name('BucketName', () => this.generatedName(logicalId, 63).toLowerCase());
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable':
        return name('TableName', () => this.generatedName(logicalId, 255));
      case 'AWS::SecretsManager::Secret':
        return `arn:${partition}:secretsmanager:${region}:${account}:secret:${name('Name', () => this.generatedName(logicalId, 200))}-AbCdEf`;
      case 'AWS::SQS::Queue':
        return `https://sqs.${region}.${this.resolver.urlSuffix}/${account}/${this.queueName(logicalId)}`;
      case 'AWS::EKS::Cluster':
        return this.generatedName(logicalId, 100);
      case 'AWS::Lambda::Function':
        return name('FunctionName', () => this.generatedName(logicalId, 64));
      case 'AWS::KMS::Key':
        return `${logicalId.toLowerCase().slice(0, 8)}-0000-0000-0000-000000000000`;
      default:
        return `${logicalId}-physical-id`;
    }
  }

  /** The `Fn::GetAtt` values the resolver does not derive itself. */
  private physicalAttribute(logicalId: string, attribute: string): any {
    const r = this.resource(logicalId);
    const { partition, env: { account, region } } = this;
    const suffix = this.resolver.urlSuffix;
    if (r.Type === 'Custom::CrossRegionExportReader') {
      if (!this.imports) { throw new Error(`${this.env.stackName}/${logicalId} reads a cross-region export, but no app's exports were given.`); }
      return this.imports.crossRegion(attribute);
    }
    switch (`${r.Type}.${attribute}`) {
      case 'AWS::IAM::Role.Arn': return `arn:${partition}:iam::${account}:role/${this.ref(logicalId)}`;
      case 'AWS::IAM::Role.RoleId': return `AROA${logicalId.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 17)}`;
      case 'AWS::S3::Bucket.Arn': return `arn:${partition}:s3:::${this.ref(logicalId)}`;
      case 'AWS::S3::Bucket.DomainName': return `${this.ref(logicalId)}.s3.${suffix}`;
      case 'AWS::S3::Bucket.RegionalDomainName': return `${this.ref(logicalId)}.s3.${region}.${suffix}`;
      case 'AWS::DynamoDB::Table.Arn':
      case 'AWS::DynamoDB::GlobalTable.Arn': return `arn:${partition}:dynamodb:${region}:${account}:table/${this.ref(logicalId)}`;
      case 'AWS::DynamoDB::Table.StreamArn':
      case 'AWS::DynamoDB::GlobalTable.StreamArn': return `arn:${partition}:dynamodb:${region}:${account}:table/${this.ref(logicalId)}/stream/2024-01-01T00:00:00.000`;
      case 'AWS::SQS::Queue.Arn': return `arn:${partition}:sqs:${region}:${account}:${this.queueName(logicalId)}`;
      case 'AWS::SQS::Queue.QueueName': return this.queueName(logicalId);
      case 'AWS::SQS::Queue.QueueUrl': return this.ref(logicalId);
      case 'AWS::Lambda::Function.Arn': return `arn:${partition}:lambda:${region}:${account}:function:${this.ref(logicalId)}`;
      case 'AWS::KMS::Key.Arn': return `arn:${partition}:kms:${region}:${account}:key/${this.ref(logicalId)}`;
      default: return `${logicalId}.${attribute}`;
    }
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
