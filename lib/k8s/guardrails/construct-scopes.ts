import { IConstruct } from 'constructs';
import { MetadataScope } from '../../core/guardrails/acknowledgement';

/** `construct` and its scopes up to the root, as the core's acknowledgement reader takes them. */
export function* ancestry(construct: IConstruct | undefined): Iterable<MetadataScope> {
  for (let c = construct; c; c = c.node.scope) {
    yield c.node;
  }
}
