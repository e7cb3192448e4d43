/** `Quote#3` rather than `ResilientExample-QuoteFunction0989A6C9-0S8XDNQY-3`: the function's short name and the environment's number. */
export function shortEnvironmentId(displayName: string, environmentId: string): string {
  return `${displayName}#${environmentId.slice(environmentId.lastIndexOf('-') + 1)}`;
}
