import {
  ACKNOWLEDGED_RULES_METADATA_KEY, acknowledgementData, findAcknowledgement, makeFinding, MetadataScope, RUNTIME_METADATA_KEY, runtimeIn,
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
});
