/**
 * Sign step handler: reads the signer user's key from the parameter store (cached) and
 * presigns the stored chart, `{..., chart}` → `+ link`.
 */
import type { PostState, SignState } from '../../../common/contract.ts';
import { createLinkSigner, type SignDeps } from '../../../common/link-signer.ts';

export function createSignHandler(deps: SignDeps) {
  const signLink = createLinkSigner(deps);
  return async function signHandler(state: SignState): Promise<PostState> {
    const link = await signLink(state.chart);
    deps.log.info('link signed', {
      requestId: state.request.requestId,
      key: state.chart.key,
      expiresAt: link.expiresAt,
    });
    return { ...state, link };
  };
}
