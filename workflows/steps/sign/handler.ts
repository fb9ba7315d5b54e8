/**
 * Sign step handler: reads the signer user's key from the parameter store (cached) and
 * presigns the stored chart, `{..., chart}` → `+ link`.
 */
import { parseEvent, SignStateSchema } from '../../../common/contract-schema.ts';
import { createLinkSigner, type SignDeps } from '../../../common/link-signer.ts';

export function createSignHandler(deps: SignDeps) {
  const signLink = createLinkSigner(deps);
  // The return type follows the schema's: whatever summary Sign was given goes on to Post.
  return async function signHandler(event: unknown) {
    const state = parseEvent('Sign', SignStateSchema, event);
    const link = await signLink(state.chart);
    deps.log.info('link signed', {
      requestId: state.request.requestId,
      key: state.chart.key,
      expiresAt: link.expiresAt,
    });
    return { ...state, link };
  };
}
