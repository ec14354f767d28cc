import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { EXAMPLE_ENV } from '../examples';
import { FLEET_DATA_ACCOUNT, FleetDataStack, FleetStack } from '../examples/fleet';
import { IWorkloadCluster, WorkloadIdentity } from '../lib';
import { eksCluster, newStack } from './fixtures';

// docs/fleet.md's 'By example' section shows code and what it produces. Each code block is
// quoted line by line, in order, from a file the build type-checks (the fleet
// example, or this file for what the example does not do); each JSON block is
// part of the resource cdk synth writes for that code.
const { fencedBlocks } = require('../scripts/readme-app.js');

const root = path.join(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'docs', 'fleet.md'), 'utf-8');

/**
 * The README's session-policy example (the fleet example keeps session tags
 * on): a shared role narrowed per identity by each association's `Policy`.
 */
export function auditorWithSessionPolicy(scope: Construct, cluster: IWorkloadCluster): WorkloadIdentity {
  const auditLogs = s3.Bucket.fromBucketArn(scope, 'AuditLogs', 'arn:aws:s3:::fleet-audit-logs');
  const auditor = new WorkloadIdentity(scope, 'Auditor', {
    cluster, namespace: 'audit', serviceAccountName: 'auditor',
    podIdentity: {
      // EKS accepts a session policy only without session tags, so the trust names the cluster by aws:SourceArn.
      sessionTags: false, restrictTrustToSubjects: false,
      additionalTrustConditions: { ArnEquals: { 'aws:SourceArn': cluster.clusterArn } },
      sessionPolicy: new iam.PolicyDocument({
        statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [auditLogs.arnForObjects('audit/*')] })],
      }),
    },
  });
  auditLogs.grantRead(auditor);
  return auditor;
}

interface Shown { readonly source: string; readonly code: string; readonly produces: { type: string; logicalId: string; json: any }[] }

/** The fleet section's code blocks, each with the JSON blocks that follow it. */
function shownInReadme(): Shown[] {
  const start = readme.indexOf('\n## By example');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const shown: Shown[] = [];
  for (const block of fencedBlocks(section) as { info: string; text: string; label: string }[]) {
    const from = /^From `([\w./-]+)`:$/.exec(block.label);
    const produces = /^Produces \(`([\w:]+)` `(\w+)`\):$/.exec(block.label);
    if (block.info === 'ts' && from) {
      shown.push({ source: from[1], code: block.text, produces: [] });
    } else if (block.info === 'json' && produces) {
      shown[shown.length - 1].produces.push({ type: produces[1], logicalId: produces[2], json: JSON.parse(block.text) });
    } else {
      throw new Error(`A block of docs/fleet.md's By example section without a 'From \`file\`:' or 'Produces (\`Type\` \`LogicalId\`):' line before it: ${block.text.slice(0, 80)}`);
    }
  }
  return shown;
}

/** The templates the shown code is part of: the fleet example's stacks, or this file's example. */
function templatesOf(source: string): any[] {
  const app = new cdk.App();
  if (source === 'examples/fleet.ts') {
    // As examples/index.ts builds it.
    const fleet = new FleetStack(app, 'Fleet', { env: EXAMPLE_ENV });
    const data = new FleetDataStack(app, 'FleetData', { env: { ...EXAMPLE_ENV, account: FLEET_DATA_ACCOUNT }, fleet });
    return [fleet, data].map(s => Template.fromStack(s).toJSON());
  }
  const stack = newStack();
  auditorWithSessionPolicy(stack, eksCluster(stack));
  return [Template.fromStack(stack).toJSON()];
}

/** Where `shown` differs from `actual`: objects may leave keys out, everything else is equal. */
function differences(shown: any, actual: any, at = ''): string[] {
  if (shown !== null && typeof shown === 'object' && !Array.isArray(shown)) {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) { return [`${at}: shown an object, is ${JSON.stringify(actual)}`]; }
    return Object.keys(shown).flatMap(k => k in actual ? differences(shown[k], actual[k], `${at}.${k}`) : [`${at}.${k}: not in the template`]);
  }
  if (Array.isArray(shown)) {
    if (!Array.isArray(actual) || actual.length !== shown.length) { return [`${at}: shown ${shown.length} items, is ${JSON.stringify(actual)}`]; }
    return shown.flatMap((x, i) => differences(x, actual[i], `${at}[${i}]`));
  }
  return shown === actual ? [] : [`${at}: shown ${JSON.stringify(shown)}, is ${JSON.stringify(actual)}`];
}

const trimmed = (text: string) => text.split('\n').map(l => l.trim()).filter(l => l !== '');

describe("docs/fleet.md, By example", () => {
  const shown = shownInReadme();

  test('shows each fleet feature', () => {
    const code = shown.map(s => s.code).join('\n');
    for (const feature of ['addSubject', 'roleNamePrefix', 'rolePath', 'tags:', "podIdentity: { additionalTrustConditions", "irsa: { additionalTrustConditions",
      'sessionTag(PodSessionTag.NAMESPACE)', 'sessionPolicy', 'new PodIdentityTargetRole']) {
      expect(`${feature}: ${code.includes(feature)}`).toBe(`${feature}: true`);
    }
    expect(shown.every(s => s.produces.length > 0)).toBe(true);
  });

  test.each(shownInReadme().map(s => [s.code.split('\n')[0], s] as [string, Shown]))('%s: quoted line by line from its file', (_, s) => {
    // GIVEN the block's lines WHEN looked up in order in the file THEN each is there, after the one before
    const lines = trimmed(fs.readFileSync(path.join(root, s.source), 'utf-8'));
    let at = 0;
    const missing: string[] = [];
    for (const line of trimmed(s.code)) {
      const found = lines.indexOf(line, at);
      if (found < 0) { missing.push(line); } else { at = found + 1; }
    }
    expect(missing).toEqual([]);
  });

  test.each(shownInReadme().map(s => [s.code.split('\n')[0], s] as [string, Shown]))('%s: produces what docs/fleet.md shows', (_, s) => {
    const templates = templatesOf(s.source);
    for (const p of s.produces) {
      // GIVEN the one resource of that type and logical id prefix THEN its properties include the shown ones, equal
      const matches = templates.flatMap(t => Object.entries<any>(t.Resources).filter(([id, r]) => r.Type === p.type && id.startsWith(p.logicalId)).map(([, r]) => r));
      expect(`${p.type} ${p.logicalId}: ${matches.length}`).toBe(`${p.type} ${p.logicalId}: 1`);
      expect(differences(p.json, matches[0].Properties)).toEqual([]);
    }
  });
});
