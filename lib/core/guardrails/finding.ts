import type { IConstruct } from 'constructs';
import { GuardrailFinding, GuardrailRule } from './guardrail-level';
import { findAcknowledgement } from './guardrails';
import { MESSAGES } from './messages';

/**
 * A finding of `rule` on `construct` (or on `path` when no construct is
 * known), acknowledged if an acknowledgement with a reason covers it. An
 * acknowledgement without a reason does not count, and the message says so.
 */
export function makeFinding(rule: GuardrailRule, message: string, construct: IConstruct | undefined, path?: string): GuardrailFinding {
  const ack = findAcknowledgement(construct, rule.id);
  const base = { ruleId: rule.id, level: rule.level, path: construct?.node.path ?? path ?? '' };
  if (ack && ack.reason.trim().length > 0) {
    return { ...base, message, acknowledgedReason: ack.reason };
  }
  return { ...base, message: ack ? `${message} ${MESSAGES.emptyReason(rule.id, ack.path)}` : message };
}
