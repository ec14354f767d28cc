import { Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { IConstruct } from 'constructs';
import { WorkloadIdentityError } from '../../core/validation-error';

/** The Route 53 hosted zones a DNS controller may change. */
export class HostedZoneScope {
  /** Exactly these hosted zones. */
  public static of(zones: route53.IHostedZone[]): HostedZoneScope {
    if (zones.length === 0) { throw new WorkloadIdentityError('HostedZoneScope.of needs at least one hosted zone.'); }
    return new HostedZoneScope(() => zones.map(z => z.hostedZoneArn), false, () => zones.map(z => z.hostedZoneId), () => zones.map(zoneNameOf));
  }

  /** Exactly the hosted zones with these ids (e.g. `Z0123456789ABCDEFGHIJ`). */
  public static fromHostedZoneIds(hostedZoneIds: string[]): HostedZoneScope {
    if (hostedZoneIds.length === 0) { throw new WorkloadIdentityError('HostedZoneScope.fromHostedZoneIds needs at least one hosted zone id.'); }
    const ids = hostedZoneIds.map(id => id.replace(/^\/hostedzone\//, ''));
    return new HostedZoneScope(scope => ids.map(id => `arn:${Stack.of(scope).partition}:route53:::hostedzone/${id}`), false, () => ids, () => ids.map(() => undefined));
  }

  /**
   * BROAD: every hosted zone of the account, as the upstream policies grant.
   * Prefer `of` or `fromHostedZoneIds`: a compromised controller could then
   * rewrite any record of the account.
   */
  public static allHostedZones(): HostedZoneScope {
    return new HostedZoneScope(scope => [`arn:${Stack.of(scope).partition}:route53:::hostedzone/*`], true);
  }

  private constructor(
    private readonly arns: (scope: IConstruct) => string[],
    public readonly isBroad: boolean,
    private readonly ids: () => string[] = () => [],
    private readonly names: () => Array<string | undefined> = () => []) {}

  /** The hosted zone ARNs, rendered in a scope. */
  public resourceArns(scope: IConstruct): string[] {
    return this.arns(scope);
  }

  /** The hosted zone ids (e.g. `Z0123456789ABCDEFGHIJ`); empty for `allHostedZones()`. */
  public hostedZoneIds(): string[] {
    return this.ids();
  }

  /**
   * The zones' domain names (without the trailing dot), where every zone's is
   * known; empty for `allHostedZones()`, zones given by id, or zones imported without a name.
   */
  public zoneNames(): string[] {
    const names = this.names();
    return names.every(n => n !== undefined) ? (names as string[]).map(n => n.replace(/\.$/, '')) : [];
  }
}

/** The Secrets Manager secrets a workload may read. */
export class SecretScope {
  /** Exactly these secrets. */
  public static of(secrets: secretsmanager.ISecret[]): SecretScope {
    if (secrets.length === 0) { throw new WorkloadIdentityError('SecretScope.of needs at least one secret.'); }
    // A secret imported by name has no suffix in its ARN: match the six characters Secrets Manager appends.
    return new SecretScope(() => secrets.map(s => s.secretFullArn ?? `${s.secretArn}-??????`), false);
  }

  /** The secrets whose names start with `prefix` (e.g. `platform/`), in the stack's account and region. */
  public static fromNamePrefix(prefix: string): SecretScope {
    if (prefix.length === 0 || prefix.includes('*')) {
      throw new WorkloadIdentityError(`Invalid secret name prefix '${prefix}': give a non-empty prefix without '*', e.g. 'platform/'; SecretScope.allSecrets() is the broad choice.`);
    }
    return new SecretScope(scope => [secretArn(scope, `${prefix}*`)], false);
  }

  /** BROAD: every secret of the stack's account and region. */
  public static allSecrets(): SecretScope {
    return new SecretScope(scope => [secretArn(scope, '*')], true);
  }

  private constructor(private readonly arns: (scope: IConstruct) => string[], public readonly isBroad: boolean) {}

  /** The secret ARN patterns, rendered in a scope. */
  public resourceArns(scope: IConstruct): string[] {
    return this.arns(scope);
  }
}

/** The SSM Parameter Store parameters a workload may read. */
export class ParameterScope {
  /** Exactly these parameters. */
  public static of(parameters: ssm.IParameter[]): ParameterScope {
    if (parameters.length === 0) { throw new WorkloadIdentityError('ParameterScope.of needs at least one parameter.'); }
    return new ParameterScope(() => parameters.map(p => p.parameterArn), false);
  }

  /** The parameters below a path (e.g. `/platform/`), in the stack's account and region. */
  public static fromPath(path: string): ParameterScope {
    if (!/^\/([A-Za-z0-9_.\-]+\/)+$/.test(path)) {
      throw new WorkloadIdentityError(`Invalid parameter path '${path}': give a hierarchy that starts and ends with '/', e.g. '/platform/'; ParameterScope.allParameters() is the broad choice.`);
    }
    return new ParameterScope(scope => [parameterArn(scope, `${path.slice(1)}*`)], false);
  }

  /** BROAD: every parameter of the stack's account and region. */
  public static allParameters(): ParameterScope {
    return new ParameterScope(scope => [parameterArn(scope, '*')], true);
  }

  private constructor(private readonly arns: (scope: IConstruct) => string[], public readonly isBroad: boolean) {}

  /** The parameter ARN patterns, rendered in a scope. */
  public resourceArns(scope: IConstruct): string[] {
    return this.arns(scope);
  }
}

function secretArn(scope: IConstruct, name: string): string {
  const s = Stack.of(scope);
  return `arn:${s.partition}:secretsmanager:${s.region}:${s.account}:secret:${name}`;
}

function parameterArn(scope: IConstruct, name: string): string {
  const s = Stack.of(scope);
  return `arn:${s.partition}:ssm:${s.region}:${s.account}:parameter/${name}`;
}

/** A zone's name, or undefined where an imported zone has none (`fromHostedZoneId` throws on `zoneName`). */
function zoneNameOf(zone: route53.IHostedZone): string | undefined {
  try {
    return zone.zoneName;
  } catch {
    return undefined;
  }
}
