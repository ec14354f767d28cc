import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { GuardrailLevel } from '../../../lib';
import { k8sFindings, newChart, open } from '../../guardrails/helpers';

describe('WI-K8S-6 automount-without-identity (warning)', () => {
  test('a ServiceAccount without AWS identity that automounts its token is a warning', () => {
    const chart = newChart('shop');
    new ApiObject(chart, 'sa', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web' } });
    const findings = k8sFindings(chart);
    expect(open(findings, 'WI-K8S-6')).toEqual(["WI-K8S-6 ServiceAccount 'shop/web' has no AWS identity but automounts its API token."]);
    expect(findings[0].level).toBe(GuardrailLevel.WARNING);
  });

  test('cdk8s-plus ServiceAccounts do not automount by default', () => {
    const chart = newChart('shop');
    new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'web' } });
    expect(open(k8sFindings(chart))).toEqual([]);
  });
});
