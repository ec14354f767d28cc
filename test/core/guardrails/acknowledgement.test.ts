import {
  ACKNOWLEDGED_RULES_METADATA_KEY, acknowledgementData, findAcknowledgement, isReason, makeFinding, MetadataScope, RUNTIME_METADATA_KEY, runtimeIn,
} from '../../../lib/core/guardrails/acknowledgement';
import { GuardrailLevel, GuardrailRule } from '../../../lib/core/guardrails/guardrail-level';
import { WorkloadRuntime } from '../../../lib/core/guardrails/workload-runtime';

// The core reads acknowledgements from plain data: no construct library is involved.
const RULE: GuardrailRule = { id: 'WI-AWS-1', name: 'static-access-key', level: GuardrailLevel.ERROR, explanation: 'e', fix: 'f' };
const ack = (path: string, data: { [id: string]: unknown }): MetadataScope => ({ path, metadata: [{ type: ACKNOWLEDGED_RULES_METADATA_KEY, data }] });
const plain = (path: string): MetadataScope => ({ path, metadata: [] });

describe('acknowledgements as data', () => {
  test('the nearest acknowledgement along the chain wins; namespaces are dropped', () => {
    const chain = [plain('App/Stack/Key'), ack('App/Stack', { 'WorkloadIdentityGuardrails::WI-AWS-1': 'near' }), ack('App', { 'WI-AWS-1': 'far' })];
    expect(findAcknowledgement(chain, 'WI-AWS-1')).toEqual({ ruleId: 'WI-AWS-1', reason: 'near', path: 'App/Stack' });
  });

  test('a finding acknowledged with a reason keeps it; without one it stays open and names where', () => {
    expect(makeFinding(RULE, 'm', [ack('A', { 'WI-AWS-1': 'why' })], 'A/Key')).toEqual({ ruleId: 'WI-AWS-1', level: 'error', path: 'A/Key', message: 'm', acknowledgedReason: 'why' });
    expect(makeFinding(RULE, 'm', [ack('A', { 'WI-AWS-1': 42 })], 'A/Key')).toEqual({
      ruleId: 'WI-AWS-1', level: 'error', path: 'A/Key', unreasonedAcknowledgementPath: 'A',
      message: "m The acknowledgement of WI-AWS-1 at 'A' has no reason, so it does not count.",
    });
  });

  test('acknowledgementData refuses other rules and blank reasons', () => {
    expect(acknowledgementData([RULE], 'WI-AWS-1', 'why', 'A')).toEqual({ 'WI-AWS-1': 'why' });
    expect(() => acknowledgementData([RULE], 'WI-AWS-1', ' \n', 'A')).toThrow("Cannot acknowledge WI-AWS-1 at 'A' without a reason. Say why it is acceptable here.");
    expect(() => acknowledgementData([RULE], 'WI-K8S-3', 'why', 'A')).toThrow("Cannot acknowledge 'WI-K8S-3' at 'A': no such guardrail on this side. Use one of WI-AWS-1.");
  });

  test('the nearest runtime mark wins, the last on one construct', () => {
    const marked = (path: string, ...runtimes: WorkloadRuntime[]): MetadataScope => ({ path, metadata: runtimes.map(data => ({ type: RUNTIME_METADATA_KEY, data })) });
    expect(runtimeIn([plain('A/B'), marked('A', WorkloadRuntime.FARGATE, WorkloadRuntime.WINDOWS_NODE)])).toBe(WorkloadRuntime.WINDOWS_NODE);
    expect(runtimeIn([plain('A')])).toBeUndefined();
  });

  describe('a reason of invisible characters is no reason (issue 18)', () => {
    // Zero-width space, word joiner, soft hyphen, byte order mark, Hangul filler, zero-width joiner, braille blank, a no-break space.
    const INVISIBLE = ['\u200B', '\u2060', '\u00AD', '\uFEFF\u200B', '\u3164', '\u200D\u200C', '\u2800', '\u00A0\u200B'];

    test.each(INVISIBLE.map(r => [JSON.stringify(r), r]))('GIVEN the reason %s WHEN acknowledging THEN it is refused, the reason shown escaped', (_, reason) => {
      // GIVEN / WHEN / THEN
      expect(() => acknowledgementData([RULE], 'WI-AWS-1', reason, 'A')).toThrow(
        `Cannot acknowledge WI-AWS-1 at 'A' with the reason '${Array.from(reason).map(c => `\\u${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join('')}': ` +
        'it has no visible letter or digit (only invisible, formatting or space characters). Say why it is acceptable here, in words.');
    });

    test('GIVEN an invisible reason written as metadata (Validations.acknowledge) WHEN the finding is made THEN it stays open and says why', () => {
      // GIVEN
      const chain = [ack('A', { 'WI-AWS-1': '\u200B\u2060\u00AD' })];
      // WHEN
      const finding = makeFinding(RULE, 'm', chain, 'A/Key');
      // THEN
      expect(finding).toEqual({
        ruleId: 'WI-AWS-1', level: 'error', path: 'A/Key', unreasonedAcknowledgementPath: 'A',
        message: "m The acknowledgement of WI-AWS-1 at 'A' has no reason ('\\u200B\\u2060\\u00AD' has no visible letter or digit), so it does not count.",
      });
    });

    test('GIVEN a reason with words around invisible characters WHEN acknowledged THEN it counts, in any script', () => {
      expect(isReason('\u200BRetired next quarter.\u200B')).toBe(true);
      expect(isReason('移行中')).toBe(true);
      expect(isReason('\u2060-- ...')).toBe(false);
    });
  });
});
