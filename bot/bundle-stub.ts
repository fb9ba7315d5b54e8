/**
 * Stands in, inside the bot's Lambda bundle only, for the packages listed in `bundle.ts`.
 * Bolt requires them when it loads but calls them only for Socket Mode, its own HTTP servers
 * and OAuth installs, none of which the Lambda uses; if it ever does, this fails loudly
 * instead of running half a receiver.
 */
function notBundled(): never {
  throw new Error(
    'This package is left out of the bot Lambda bundle (infra/bot-bundle.ts): ' +
      'the Lambda uses AwsLambdaReceiver with a bot token, without Socket Mode, Express or OAuth.',
  );
}

export default notBundled;
// The names Bolt reaches for: constructing any of them throws.
export const SocketModeClient = notBundled;
export const InstallProvider = notBundled;
export const Router = notBundled;
