/**
 * cdk-nag's AwsSolutions pack over an app, the cdk-nag 3 way: a validation
 * plugin (`Validations.of(app).addPlugins(new AwsSolutionsChecks(app))`; the
 * v2 `Aspects.of(app).add(...)` form crashes in v3), acknowledged with
 * `Validations.of(scope).acknowledge({ id, reason })`.
 *
 * The plugin's report leaves acknowledged findings out entirely, so a second,
 * recording pass over the synthesized construct tree lists them with their
 * reasons, and finds acknowledgements that no longer match any finding.
 */
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';

export interface NagHit {
  readonly rule: string;
  readonly path: string;
  /** The acknowledgement that covers it, from the resource or an ancestor. */
  readonly acknowledged?: { readonly at: string; readonly reason: string };
}

export interface NagAcknowledgement {
  readonly rule: string;
  readonly at: string;
  readonly reason: string;
}

/** Registers the pack as a validation plugin: synthesis then fails on any unacknowledged error finding. */
export function addNagPlugin(app: IConstruct): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}

/** Every AwsSolutions finding in the tree, acknowledged or not. Run after synthesis. */
export function nagHits(app: IConstruct): NagHit[] {
  const hits: NagHit[] = [];
  const pack = new AwsSolutionsChecks(app);
  // isAcknowledged is private in the typings; wrapping it records each finding with its acknowledgement.
  const original = (pack as any).isAcknowledged.bind(pack) as (node: IConstruct, ruleId: string) => boolean;
  (pack as any).isAcknowledged = (node: IConstruct, ruleId: string) => {
    const acknowledged = original(node, ruleId);
    hits.push({ rule: ruleId, path: node.node.path, ...(acknowledged ? { acknowledged: findAcknowledgement(node, ruleId) } : {}) });
    return acknowledged;
  };
  pack.validateScope(app);
  return hits;
}

/** Every AwsSolutions acknowledgement in the tree. */
export function nagAcknowledgements(app: IConstruct): NagAcknowledgement[] {
  return app.node.findAll().flatMap(c => acknowledgementsOn(c).filter(a => a.rule.startsWith('AwsSolutions-')).map(a => ({ ...a, at: c.node.path })));
}

function acknowledgementsOn(c: IConstruct): { rule: string; reason: string }[] {
  return c.node.metadata
    .filter(e => e.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && e.data)
    .flatMap(e => Object.entries(e.data as { [id: string]: string }).map(([id, reason]) => ({ rule: id.replace(/^annotation::/i, ''), reason: String(reason) })));
}

function findAcknowledgement(node: IConstruct, ruleId: string): { at: string; reason: string } {
  for (let c: IConstruct | undefined = node; c; c = c.node.scope) {
    const ack = acknowledgementsOn(c).find(a => a.rule === ruleId);
    if (ack) { return { at: c.node.path, reason: ack.reason }; }
  }
  return { at: '?', reason: '' };
}
