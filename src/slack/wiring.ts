import type { webApi } from '@slack/bolt';
import { AccessPolicy } from '../access/access-policy.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Logger } from '../observability/logger.js';
import { SlackDirectory } from './slack-directory.js';

/**
 * The lookup allow-lists (SLACK_ALLOWED_USERS/_USERGROUPS/_CHANNELS) and SLACK_ALLOWED_LOGGERS, an allow-list
 * of its own read the same way on top of them (channels are the lookup's), both reading groups through `client`.
 */
export function accessPolicies(client: webApi.WebClient, { access, logging }: Pick<Config, 'access' | 'logging'>, logger: Logger, clock: Clock): { access: AccessPolicy; loggers: AccessPolicy } {
  const listGroupMembers = async (usergroup: string) => (await client.usergroups.users.list({ usergroup })).users ?? [];
  return {
    access: new AccessPolicy({
      ...access,
      listGroupMembers,
      onGroupError: (usergroup, error) => logger.warn('could not read a user group in SLACK_ALLOWED_USERGROUPS', { usergroup, error }),
      clock,
    }),
    loggers: new AccessPolicy({
      ...logging,
      channels: new Set(),
      listGroupMembers,
      onGroupError: (usergroup, error) => logger.warn('could not read a user group in SLACK_ALLOWED_LOGGERS', { usergroup, error }),
      clock,
    }),
  };
}

/** Names and permalinks for a log's note, read through `client`. */
export function slackDirectory(client: webApi.WebClient, logger: Logger, clock: Clock): SlackDirectory {
  return new SlackDirectory({
    api: {
      userName: async (user) => {
        const found = (await client.users.info({ user })).user;
        return found?.profile?.display_name || found?.real_name || found?.name || undefined;
      },
      channelName: async (channel) => (await client.conversations.info({ channel })).channel?.name,
      permalink: async (channel, message_ts) => (await client.chat.getPermalink({ channel, message_ts })).permalink,
    },
    onError: (what, error) => logger.warn(`${what} failed: the log's note shows an id instead`, { error }),
    clock,
  });
}
