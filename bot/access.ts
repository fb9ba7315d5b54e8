/** Optional allow-lists of channels and users, from configuration. Empty lists allow everyone. */
export interface AccessPolicy {
  allowedChannels: string[];
  allowedUsers: string[];
}

export function accessRefusal(policy: AccessPolicy, channel: string, user: string): string | null {
  if (policy.allowedChannels.length > 0 && !policy.allowedChannels.includes(channel)) {
    return 'costbot is not enabled in this channel. Ask an admin to add it to COSTBOT_ALLOWED_CHANNELS.';
  }
  if (policy.allowedUsers.length > 0 && !policy.allowedUsers.includes(user)) {
    return 'You are not on the list of people who can run /aws-cost (COSTBOT_ALLOWED_USERS).';
  }
  return null;
}
