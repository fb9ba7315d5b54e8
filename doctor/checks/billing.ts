/**
 * Billing metrics: CloudWatch holds AWS/Billing EstimatedCharges in the billing region, which
 * happens only once "Receive Billing Alerts" is on, in the payer account, in us-east-1.
 */
import type { CheckResult } from '../types.ts';
import type { CheckContext } from './context.ts';

export async function billingResults(ctx: CheckContext): Promise<CheckResult[]> {
  const region = ctx.deps.config.billingRegion;
  const id = 'billing.metrics';
  const title = `Billing metrics in ${region}`;
  const billing = ctx.deps.billing;
  if (!billing) {
    return [{ id, title, status: 'warn', detail: 'Not checked: no CloudWatch client.' }];
  }
  let page: Awaited<ReturnType<typeof billing.listMetrics>>;
  try {
    page = await ctx.call(
      billing.listMetrics({ Namespace: 'AWS/Billing', MetricName: 'EstimatedCharges' }),
    );
  } catch (error) {
    return [ctx.failed(id, title, error)];
  }
  const metrics = page.Metrics ?? [];
  if (metrics.length === 0) {
    const elsewhere =
      region === 'us-east-1'
        ? ''
        : ` AWS publishes billing metrics only in us-east-1, and COSTBOT_BILLING_REGION is ${region}.`;
    return [
      {
        id,
        title,
        status: 'fail',
        detail: `No AWS/Billing EstimatedCharges metrics in ${region}: billing alerts are off (Billing preferences → Receive Billing Alerts) or this is not the payer account.${elsewhere}`,
        fix: 'In the payer (management) account, open Billing preferences and turn on "Receive Billing Alerts"; metrics appear within a few hours. If this is a member account, run costbot in the payer account or read it through a reader role.',
      },
    ];
  }
  const dims = metrics.map((m) => new Set((m.Dimensions ?? []).map((d) => d.Name ?? '')));
  const services = dims.filter((d) => d.has('ServiceName')).length;
  const accounts = dims.filter((d) => d.has('LinkedAccount')).length;
  const count = `${metrics.length}${page.NextToken ? '+' : ''}`;
  return [
    {
      id,
      title,
      status: 'ok',
      detail: `${count} EstimatedCharges series (${services} by service, ${accounts} by linked account).`,
    },
  ];
}
