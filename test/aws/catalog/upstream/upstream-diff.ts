/**
 * The catalog's upstream diff: each entry against the policy document its
 * owner published at the release the entry pins, kept in this folder as test
 * data (`<Entry>/<version>.json`, with its source).
 *
 * The judgment is made here, from the synthesized template and the kept
 * document, without lib/ code: lib/ only supplies the claims it is held to
 * (the pinned release, the omitted actions with their reasons, the additions).
 * `npm run check:upstream` prints the same diff (scripts/check-upstream.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CatalogIdentity, IWorkloadCluster } from '../../../../lib';

export const UPSTREAM_DIR = __dirname;

/** One source a kept document was read from. */
export interface UpstreamSource {
  readonly repository: string;
  readonly path: string;
  /** Tag (or commit) the entry pins. */
  readonly ref: string;
  /** The commit the tag points to. */
  readonly commit: string;
  /** Date of that commit, YYYY-MM-DD. */
  readonly date: string;
  /** How the text was read (and what, if anything, was replaced by a placeholder). */
  readonly text: string;
}

/** A kept upstream document: `<Entry>/<version>.json`. */
export interface KeptUpstream {
  readonly entry: string;
  readonly version: string;
  /** The first source is the one the entry pins; further ones add opt-in statements (e.g. KMS). */
  readonly sources: UpstreamSource[];
  /** Placeholders in the document and what they stand for. */
  readonly placeholders: { [placeholder: string]: string };
  readonly document: { Version: string; Statement: any[] };
}

/** The entry configurations the diff is taken on. */
export type Configuration = 'minimal' | 'full';

/**
 * What each entry folder's `entry.ts` exports: how to build the entry with only
 * its required inputs (`minimal`) and with every option that adds upstream
 * actions (`full`), and the values of the document's placeholders in the
 * evaluation app (test/aws/catalog/catalog-app.ts).
 */
export interface UpstreamCase {
  /** The folder name, equal to the entry's key in catalog-app's `addEveryEntry`. */
  readonly key: string;
  readonly build: (stack: Stack, cluster: IWorkloadCluster, configuration: Configuration) => CatalogIdentity;
  /** The literal each placeholder takes in catalog-app's resources (for evaluating the upstream document). */
  readonly placeholderValues: { [placeholder: string]: string };
}

/** Every entry folder with a kept document and an `entry.ts`. */
export function upstreamCases(): UpstreamCase[] {
  return fs.readdirSync(UPSTREAM_DIR, { withFileTypes: true })
    .filter(d => d.isDirectory() && fs.existsSync(path.join(UPSTREAM_DIR, d.name, 'entry.ts')))
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    .map(d => require(path.join(UPSTREAM_DIR, d.name, 'entry')).upstreamCase as UpstreamCase)
    .sort((a, b) => a.key.localeCompare(b.key));
}

/** The kept document of `key` at `version`; throws naming the file when it is missing. */
export function keptUpstream(key: string, version: string): KeptUpstream {
  const file = path.join(UPSTREAM_DIR, key, `${version}.json`);
  if (!fs.existsSync(file)) {
    throw new Error(`No kept upstream document ${path.relative(process.cwd(), file)}: copy the published policy of ${version} there, with its source.`);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The upstream document with its placeholders replaced. */
export function substitutedDocument(kept: KeptUpstream, values: { [placeholder: string]: string }): { Version: string; Statement: any[] } {
  let text = JSON.stringify(kept.document);
  for (const [placeholder, value] of Object.entries(values)) { text = text.split(placeholder).join(value); }
  return JSON.parse(text);
}

/** Actions a document allows, lower-cased (IAM action names are case-insensitive). */
export function allowedActions(statements: any[]): string[] {
  const actions = statements.filter(s => s.Effect === 'Allow').flatMap(s => [s.Action].flat()).map((a: string) => a.toLowerCase());
  return [...new Set(actions)].sort();
}

/** IAM's action wildcards: `*` any run of characters, `?` one. */
function matches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(action);
}

export interface ActionDiff {
  /** Upstream actions no entry action covers. */
  readonly missing: string[];
  /** Entry actions no upstream action covers. */
  readonly beyond: string[];
}

export function diffActions(upstream: string[], entry: string[]): ActionDiff {
  return {
    missing: upstream.filter(u => !entry.some(e => matches(e, u) || matches(u, e))),
    beyond: entry.filter(e => !upstream.some(u => matches(u, e))),
  };
}

/**
 * The statements the synthesized template gives the entry's role: its
 * customer managed policies (the catalog's) and AWS managed policy ARNs.
 */
export function synthesizedStatements(entry: CatalogIdentity): { statements: any[]; awsManagedPolicyArns: any[] } {
  const stack = Stack.of(entry);
  const template = Template.fromStack(stack).toJSON();
  const roleId = stack.getLogicalId(entry.role.node.defaultChild as any);
  const statements: any[] = [];
  for (const resource of Object.values<any>(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::ManagedPolicy' && resource.Type !== 'AWS::IAM::Policy') { continue; }
    if (!(resource.Properties.Roles ?? []).some((r: any) => r.Ref === roleId)) { continue; }
    statements.push(...resource.Properties.PolicyDocument.Statement);
  }
  const role = template.Resources[roleId];
  return { statements, awsManagedPolicyArns: role.Properties.ManagedPolicyArns ?? [] };
}

/** Builds one configuration of an entry in a fresh app and stack. */
export function buildEntry(c: UpstreamCase, configuration: Configuration, cluster: (stack: Stack) => IWorkloadCluster, env: { account: string; region: string }): CatalogIdentity {
  const stack = new Stack(new App(), `Upstream${c.key}`, { env });
  return c.build(stack, cluster(stack), configuration);
}

export interface UpstreamReport {
  readonly key: string;
  readonly pinned: string;
  readonly kept: KeptUpstream;
  readonly diff: { [configuration: string]: ActionDiff };
  /** Problems: undeclared differences, stale declarations, a pin the kept document does not match. */
  readonly problems: string[];
}

/**
 * The diff of one entry: its pin against the kept document's source, and per
 * configuration, its actions against the document's. Every missing action
 * must be declared omitted (in `full`, only omissions no option adds), every
 * action beyond upstream declared an addition, and every declaration must
 * name a real difference.
 */
export function upstreamReport(c: UpstreamCase, cluster: (stack: Stack) => IWorkloadCluster, env: { account: string; region: string }): UpstreamReport {
  const problems: string[] = [];
  const diff: { [configuration: string]: ActionDiff } = {};
  const minimal = buildEntry(c, 'minimal', cluster, env);
  const pin = minimal.upstream;
  const kept = keptUpstream(c.key, pin.version);
  const source = kept.sources[0];
  const claimed = { version: pin.version, repository: pin.repository, path: pin.path, ref: pin.ref ?? pin.version, date: pin.date };
  const actual = { version: kept.version, repository: source.repository, path: source.path, ref: source.ref, date: source.date };
  if (JSON.stringify(claimed) !== JSON.stringify(actual)) {
    problems.push(`pin ${JSON.stringify(claimed)} differs from the kept document's source ${JSON.stringify(actual)}`);
  }
  const upstreamActions = allowedActions(kept.document.Statement);
  const omitted = (pin.omitted ?? []);
  const additions = (pin.additions ?? []).flatMap(a => a.actions.map(x => x.toLowerCase()));
  for (const configuration of ['minimal', 'full'] as Configuration[]) {
    const entry = configuration === 'minimal' ? minimal : buildEntry(c, configuration, cluster, env);
    const { statements } = synthesizedStatements(entry);
    const d = diffActions(upstreamActions, allowedActions(statements));
    diff[configuration] = d;
    const declaredMissing = omitted.filter(o => configuration === 'minimal' || !o.option).flatMap(o => o.actions.map(a => a.toLowerCase()));
    for (const a of d.missing) {
      if (!declaredMissing.includes(a)) { problems.push(`${configuration}: upstream action ${a} is neither granted nor declared omitted`); }
    }
    for (const a of declaredMissing) {
      if (!d.missing.includes(a)) { problems.push(`${configuration}: ${a} is declared omitted but ${upstreamActions.includes(a) ? 'granted' : 'not in the upstream document'}`); }
    }
    for (const a of d.beyond) {
      if (!additions.includes(a)) { problems.push(`${configuration}: ${a} is beyond upstream without a declared reason`); }
    }
    if (configuration === 'full') {
      for (const a of additions) {
        if (!d.beyond.includes(a)) { problems.push(`full: ${a} is declared an addition but ${upstreamActions.includes(a) ? 'is in the upstream document' : 'is not granted'}`); }
      }
    }
  }
  for (const o of omitted) {
    if (!o.reason || !o.feature) { problems.push(`omission of ${o.actions.join(', ')} lacks a reason or the feature it disables`); }
  }
  return { key: c.key, pinned: `${pin.repository} ${pin.path} @ ${pin.ref ?? pin.version} (${pin.date})`, kept, diff, problems };
}
