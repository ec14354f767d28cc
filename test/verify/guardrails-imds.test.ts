/**
 * WI-AWS-11 against the instance metadata defaults AWS documents. The oracle
 * is a table of what EC2 gives an instance for each option a launch template
 * or launch configuration leaves unset, one row per documented source, and
 * what a pod one network hop from the node can then reach; never the rule's
 * own reading of the options.
 *
 * A pod reaches the metadata service when the endpoint is on and either
 * IMDSv1 is allowed (no token, so no hop limit applies) or the hop limit lets
 * the IMDSv2 token's PUT response travel the extra hop to the pod (2 or
 * more). WI-AWS-11 must warn on a resource exactly when some documented
 * default lets a pod in, and say nothing otherwise.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { WorkloadIdentityGuardrails } from '../../lib';
import { readValidationReport } from './validation-report';

interface MetadataOptions { readonly HttpEndpoint?: string; readonly HttpTokens?: string; readonly HttpPutResponseHopLimit?: number }

/**
 * What fills an unset option, by source (docs/guardrails.md, "The instance metadata defaults"):
 * - the API's own defaults: CloudFormation MetadataOptions "Default: 1" (hop limit), the launch
 *   configuration's "If the parameter is not specified in the request, the default state is optional"
 *   (HttpTokens), and HttpEndpoint "If the parameter is not specified, the default state is enabled";
 * - an AMI with ImdsSupport v2.0 (EC2 API Reference, Image ImdsSupport): "Instances launched from this AMI
 *   will have HttpTokens automatically set to required [...] In addition, HttpPutResponseHopLimit is set to 2";
 * - the account's defaults (ModifyInstanceMetadataDefaults): any HttpTokens, any hop limit from 1 to 64.
 *   Two such accounts stand for the range: one that allows IMDSv1 with a wide hop limit, one that pins both.
 */
const DOCUMENTED_DEFAULTS: ReadonlyArray<{ readonly source: string; readonly fills: Required<MetadataOptions> }> = [
  { source: 'API defaults', fills: { HttpEndpoint: 'enabled', HttpTokens: 'optional', HttpPutResponseHopLimit: 1 } },
  { source: 'AMI with ImdsSupport v2.0', fills: { HttpEndpoint: 'enabled', HttpTokens: 'required', HttpPutResponseHopLimit: 2 } },
  { source: 'account default allowing IMDSv1, hop limit 64', fills: { HttpEndpoint: 'enabled', HttpTokens: 'optional', HttpPutResponseHopLimit: 64 } },
  { source: 'account default requiring IMDSv2, hop limit 1', fills: { HttpEndpoint: 'enabled', HttpTokens: 'required', HttpPutResponseHopLimit: 1 } },
];

/** The sources under which a pod reaches the metadata service, given what the template sets. */
function sourcesLettingPodsIn(set: MetadataOptions): string[] {
  return DOCUMENTED_DEFAULTS.filter(({ fills }) => {
    const endpoint = set.HttpEndpoint ?? fills.HttpEndpoint;
    const tokens = set.HttpTokens ?? fills.HttpTokens;
    const hops = set.HttpPutResponseHopLimit ?? fills.HttpPutResponseHopLimit;
    return endpoint === 'enabled' && (tokens === 'optional' || hops >= 2);
  }).map(d => d.source);
}

const ENDPOINTS = [undefined, 'enabled', 'disabled'];
const TOKENS = [undefined, 'optional', 'required'];
const HOPS = [undefined, 1, 2, 3];

function combinations(): MetadataOptions[] {
  const out: MetadataOptions[] = [];
  for (const HttpEndpoint of ENDPOINTS) {
    for (const HttpTokens of TOKENS) {
      for (const HttpPutResponseHopLimit of HOPS) {
        out.push({ ...HttpEndpoint ? { HttpEndpoint } : {}, ...HttpTokens ? { HttpTokens } : {}, ...HttpPutResponseHopLimit ? { HttpPutResponseHopLimit } : {} });
      }
    }
  }
  return out;
}

const lower = (o: MetadataOptions) => ({ httpEndpoint: o.HttpEndpoint, httpTokens: o.HttpTokens, httpPutResponseHopLimit: o.HttpPutResponseHopLimit });

describe('WI-AWS-11 against the documented instance metadata defaults', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-imds-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a launch template or launch configuration is warned about exactly when a documented default lets a pod reach the metadata service', () => {
    // GIVEN every combination of the three options (each unset or set), as a launch template and as a launch configuration
    const all = combinations();
    const app = new App({ outdir: dir, context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
    const stack = new Stack(app, 'Nodes', { env: { account: '123456789012', region: 'eu-west-1' } });
    all.forEach((options, i) => {
      new ec2.CfnLaunchTemplate(stack, `Template${i}`, { launchTemplateData: { metadataOptions: lower(options) } });
      new autoscaling.CfnLaunchConfiguration(stack, `Config${i}`, { imageId: 'ami-12345678', instanceType: 't3.medium', metadataOptions: lower(options) });
    });
    Validations.of(app).addPlugins(new WorkloadIdentityGuardrails());

    // WHEN the app is synthesized with the guardrails as a plugin
    app.synth();
    const warnings = readValidationReport(dir).findings.filter(f => f.rule === 'WI-AWS-11' && f.severity === 'warning' && !f.acknowledged);
    const warnedOn = (id: string) => warnings.filter(f => f.description.includes(`'Nodes/${id}'`));

    // THEN each resource is warned about exactly when some documented default lets a pod in
    const problems: string[] = [];
    const decided = { reachable: 0, closed: 0 };
    all.forEach((options, i) => {
      const sources = sourcesLettingPodsIn(options);
      decided[sources.length > 0 ? 'reachable' : 'closed']++;
      for (const id of [`Template${i}`, `Config${i}`]) {
        const got = warnedOn(id);
        if (sources.length > 0 && got.length === 0) { problems.push(`${id} ${JSON.stringify(options)}: pods reach the metadata service under ${sources.join('; ')}, but WI-AWS-11 says nothing.`); }
        if (sources.length === 0 && got.length > 0) { problems.push(`${id} ${JSON.stringify(options)}: no documented default lets a pod in, but WI-AWS-11 warns: ${got.map(f => f.description).join(' | ')}`); }
      }
    });
    expect(problems).toEqual([]);
    // AND both kinds were drawn: of 36 combinations, 12 turn the endpoint off and 2 x 1 pin both options (endpoint unset or enabled)
    expect(decided).toEqual({ reachable: 22, closed: 14 });
  });
});
