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
import { type ButtonValues, INVALID_BUTTON, parseButtonValue } from './values.ts';

export interface RefreshDeps {
  bucket: string;
  values: ButtonValues;
  signLink: (chart: { bucket: string; key: string }) => Promise<SignedLink>;
  log: Logger;
}

type ActionArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

export function createRefreshLinkAction(deps: RefreshDeps) {
  return async function refreshLink({ ack, action, body, respond }: ActionArgs): Promise<void> {
    await ack();
    // Checked again here (the global guard checked first) so no path uses an unchecked value.
    const key = parseButtonValue(deps.values.refreshLink, action.value);
    if (key === null) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: INVALID_BUTTON });
      return;
    }
    let link: SignedLink;
    try {
      link = await deps.signLink({ bucket: deps.bucket, key });
    } catch (error) {
      deps.log.error('link refresh failed', { key, error });
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: `The link could not be refreshed.\n${explainThrown(error).text}`,
      });
      return;
    }
    // Outside the catch: a response_url that failed (or hung) once is not tried a second time,
    // which would hold the function for another Slack timeout, up to its own.
    const blocks = (body.message?.blocks ?? []) as KnownBlock[];
    await respond({
      replace_original: true,
      text: body.message?.text ?? 'Cost report',
      blocks: withFreshLink(blocks, link),
    });
    deps.log.info('link refreshed', { key, expiresAt: link.expiresAt });
  };
}
