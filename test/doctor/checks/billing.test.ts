/**
 * The billing check: AWS/Billing EstimatedCharges exists in the billing region.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runDoctor } from '../../../doctor/run.ts';
import { byId, CONFIG, DEPLOYER, fakeBilling, healthyDeps, listMetricsDenied } from '../support.ts';

describe('Check: billing metrics', () => {
  it('passes when EstimatedCharges series exist, counting by linked account and further pages', async () => {
    // Prepare
    const billing = {
      listMetrics: async () => ({
        Metrics: [
          { Dimensions: [{ Name: 'Currency', Value: 'USD' }] },
          {
            Dimensions: [
              { Name: 'Currency', Value: 'USD' },
              { Name: 'LinkedAccount', Value: '111111111111' },
            ],
          },
        ],
        NextToken: 'more',
      }),
    };

    // Act
    const result = byId(await runDoctor(healthyDeps({ billing })), 'billing.metrics');

    // Assess
    assert.equal(result.status, 'ok');
    assert.equal(result.title, 'Billing metrics in us-east-1');
    assert.equal(result.detail, '2+ EstimatedCharges series (0 by service, 1 by linked account).');
  });

  it('warns "not checked" without a CloudWatch client', async () => {
    // Act
    const result = byId(await runDoctor(healthyDeps({ billing: undefined })), 'billing.metrics');

    // Assess
    assert.equal(result.status, 'warn');
    assert.equal(result.detail, 'Not checked: no CloudWatch client.');
  });

  it('asks for AWS/Billing EstimatedCharges and counts what it found', async () => {
    // Prepare
    const billing = fakeBilling();

    // Act
    const result = byId(await runDoctor(healthyDeps({ billing })), 'billing.metrics');

    // Assess
    assert.deepEqual(billing.inputs, [
      { Namespace: 'AWS/Billing', MetricName: 'EstimatedCharges' },
    ]);
    assert.equal(result.detail, '2 EstimatedCharges series (1 by service, 0 by linked account).');
  });

  it('fails with what to check when there are none', async () => {
    // Act
    const result = byId(
      await runDoctor(healthyDeps({ billing: fakeBilling([]) })),
      'billing.metrics',
    );

    // Assess
    assert.equal(result.status, 'fail');
    assert.equal(
      result.detail,
      'No AWS/Billing EstimatedCharges metrics in us-east-1: billing alerts are off (Billing preferences → Receive Billing Alerts) or this is not the payer account.',
    );
    assert.match(result.fix ?? '', /Receive Billing Alerts/);
  });

  it('points at the region when billing metrics are looked for outside us-east-1', async () => {
    // Act
    const result = byId(
      await runDoctor(
        healthyDeps({
          billing: fakeBilling([]),
          config: { ...CONFIG, billingRegion: 'eu-west-1' },
        }),
      ),
      'billing.metrics',
    );

    // Assess
    assert.match(result.detail, /only in us-east-1, and COSTBOT_BILLING_REGION is eu-west-1/);
  });

  it('explains a refusal of ListMetrics with the statement that would allow it', async () => {
    // Prepare
    const billing = listMetricsDenied(DEPLOYER);

    // Act
    const result = byId(await runDoctor(healthyDeps({ billing })), 'billing.metrics');

    // Assess
    assert.equal(result.status, 'fail');
    assert.match(
      result.detail,
      /^AWS denied cloudwatch:ListMetrics to arn:aws:iam::123456789012:user\/deployer\. No policy/,
    );
    assert.deepEqual(result.statement, {
      Effect: 'Allow',
      Action: 'cloudwatch:ListMetrics',
      Resource: '*',
    });
  });
});
