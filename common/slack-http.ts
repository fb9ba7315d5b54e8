/**
 * Every HTTP call costbot makes to Slack (Web API and `response_url`) is bounded in time, so a
 * Slack that does not answer fails the call well before the Lambda or the task running it
 * times out. The Post step bounds its calls with `SLACK_TIMEOUT_MS` (10 s, its task has 30 s),
 * the bot with `BOT_SLACK_TIMEOUT_MS`: on Lambda a listener's work, Slack calls included, ends
 * before the ack reaches Slack, which gives up after 3 s.
 *
 * @example
 * const slackFetch = fetchWithTimeout(5_000);
 * await slackFetch(responseUrl, { method: 'POST', body }); // rejects with a TimeoutError after 5 s
 */

/** The bot's limit per Slack call: short enough that its answer still reaches Slack within 3 s. */
export const BOT_SLACK_TIMEOUT_MS = 2_000;

/** `fetch` that gives up after `timeoutMs` (a `TimeoutError`), keeping any signal it is given. */
export function fetchWithTimeout(timeoutMs: number, doFetch: typeof fetch = fetch): typeof fetch {
  return (input, init = {}) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return doFetch(input, { ...init, signal });
  };
}
