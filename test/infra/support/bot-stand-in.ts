/**
 * Stand-in for `bot/lambda.ts` in infrastructure tests while that entry does not exist yet.
 * Bundling is off in tests: only the file's existence matters. Never deployed.
 */
export const handler = async (): Promise<{ statusCode: number }> => ({ statusCode: 501 });
