import { Reference, ReferenceStrength, Stack, Token, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * `value` as the stack of `consumer` may split it (Fn::Split). A resource
 * attribute of another stack of the same account and region is consumed as a
 * strong reference: Fn::ImportValue of an export CDK names after the producing
 * stack and the attribute, the consumer deploying after the producer. Whatever
 * `@aws-cdk/core:defaultCrossStackReferences` says: a weak reference arrives
 * as Fn::GetStackOutput, which CloudFormation does not accept inside Fn::Split
 * (the AWS docs list Fn::ImportValue among the functions it takes, not
 * Fn::GetStackOutput). Anything else is returned as it is: across accounts or
 * regions CloudFormation has no import.
 */
export function splittableIn(consumer: IConstruct, value: string): string {
  const reference = Tokenization.reverse(value, { failConcat: false });
  if (!reference || !Reference.isReference(reference)) { return value; }
  const producer = Stack.of(reference.target);
  const stack = Stack.of(consumer);
  if (producer === stack || !sameEnvironment(producer, stack)) { return value; }
  return Stack.consumeReference(value, ReferenceStrength.STRONG);
}

/** CDK's own test: unresolved accounts (regions) count as one, the deploying one. */
function sameEnvironment(a: Stack, b: Stack): boolean {
  const literal = (v: string) => Token.isUnresolved(v) ? undefined : v;
  return literal(a.account) === literal(b.account) && literal(a.region) === literal(b.region);
}
