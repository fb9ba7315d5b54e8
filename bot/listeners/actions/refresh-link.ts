/**
 * "Refresh link": re-signs a fresh 7-day URL for the stored chart and updates the message in
 * place. No re-render and no new fetch: Slack re-fetches image URLs from history, so a
 * report older than 7 days shows a broken image until someone presses this.
 */
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { SignedLink } from '../../../common/contract.ts';
import { explainThrown } from '../../../common/failure-explanation.ts';
import type { Logger } from '../../../common/log.ts';
import { withFreshLink } from '../../../common/slack-message.ts';

export interface RefreshDeps {
  bucket: string;
  chartPrefix: string;
  signLink: (chart: { bucket: string; key: string }) => Promise<SignedLink>;
  log: Logger;
}

type ActionArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/** A key the bot wrote: under the chart prefix, dated, one safe file name. */
export function isChartKey(key: string, prefix: string): boolean {
  return (
    key.startsWith(prefix) &&
    /^\d{4}\/\d{2}\/\d{2}\/[A-Za-z0-9_-]{1,64}\.png$/.test(key.slice(prefix.length))
  );
}

export function createRefreshLinkAction(deps: RefreshDeps) {
  return async function refreshLink({ ack, action, body, respond }: ActionArgs): Promise<void> {
    await ack();
    const key = action.value ?? '';
    if (!isChartKey(key, deps.chartPrefix)) {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: 'This button does not point at a costbot chart.',
      });
      return;
    }
    try {
      const link = await deps.signLink({ bucket: deps.bucket, key });
      const blocks = (body.message?.blocks ?? []) as KnownBlock[];
      await respond({
        replace_original: true,
        text: body.message?.text ?? 'Cost report',
        blocks: withFreshLink(blocks, link),
      });
      deps.log.info('link refreshed', { key, expiresAt: link.expiresAt });
    } catch (error) {
      deps.log.error('link refresh failed', { key, error });
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: `The link could not be refreshed.\n${explainThrown(error).text}`,
      });
    }
  };
}
