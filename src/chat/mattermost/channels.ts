/**
 * Incident channels on Mattermost: `POST /api/v4/channels` in the configured team, found again by
 * name when Mattermost says it exists, and people added one `user_id` at a time
 * (https://developers.mattermost.com/api-documentation/#/tag/channels).
 */
import { type ChatSender, type CreatedChannel, DeliveryError, type NewChannel } from '../../core/ports.ts';
import { type MattermostClient, MattermostRefusal } from './client.ts';

/**
 * What the server answers (400) when the team has a channel of that name: `store.ChannelExistsError`
 * in mattermost/server (channels/store/store.go), returned by app.CreateChannel.
 */
export const CHANNEL_EXISTS = 'store.sql_channel.save_channel.exists.app_error';
/** A channel's name (its URL handle) and display name: at most 64 characters (model.ChannelNameMaxLength). */
const NAME_MAX = 64;
/** model.ChannelPurposeMaxRunes and model.ChannelHeaderMaxRunes. */
const PURPOSE_MAX = 250;
const HEADER_MAX = 1024;

type Logger = { warn(obj: object, msg?: string): void };

/** The handle Mattermost accepts: lowercase letters, digits, `-` and `_`, 2 to 64 characters. */
export function mattermostChannelName(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .slice(0, NAME_MAX)
    .replace(/^[-_]+|[-_]+$/g, '');
  return cleaned.length >= 2 ? cleaned : `${cleaned}-channel`.replace(/^-/, '');
}

/** createChannel and invite in one team; failures come back as DeliveryErrors. */
export function mattermostChannels(
  client: MattermostClient,
  team: string,
  logger: Logger,
): Required<Pick<ChatSender, 'createChannel' | 'invite'>> {
  const invite = async (channel: string, members: string[]): Promise<string[]> => {
    const notAdded: string[] = [];
    // One call a person: each refusal names its user, on every v4 server (`user_ids` is newer).
    for (const user of new Set(members)) {
      try {
        // Adding someone already in the channel answers 201 with the existing membership.
        await client.addChannelMember(channel, user);
      } catch (error) {
        // 400 (not a user id), 403 (not on the team, or deactivated), 404 (no such user): theirs.
        const status = error instanceof MattermostRefusal ? error.status : 0;
        if (![400, 403, 404].includes(status)) throw error;
        logger.warn(
          { channel, user, status, code: (error as MattermostRefusal).errorId },
          'Mattermost did not add a person to a channel',
        );
        notAdded.push(user);
      }
    }
    return notAdded;
  };

  return {
    async createChannel(spec: NewChannel): Promise<CreatedChannel> {
      const name = mattermostChannelName(spec.name);
      let id: string;
      try {
        const made = await client.createChannel({
          team_id: team,
          name,
          display_name: spec.name.slice(0, NAME_MAX),
          type: 'O',
          ...(spec.topic
            ? { purpose: spec.topic.slice(0, PURPOSE_MAX), header: spec.topic.slice(0, HEADER_MAX) }
            : {}),
        });
        id = made.id;
      } catch (error) {
        if (!(error instanceof MattermostRefusal) || error.errorId !== CHANNEL_EXISTS) throw error;
        id = await client.channelByName(team, name).then(
          (found) => found.id,
          (lookup: unknown) => {
            // An archived channel keeps its name but is not returned: say what to do.
            if (lookup instanceof MattermostRefusal && lookup.status === 404)
              throw new DeliveryError(
                `Mattermost has a channel named "${name}" in the team that deckhand cannot see (archived, or private without the bot); restore it and add the bot, or rename it.`,
                undefined,
                true,
              );
            throw lookup;
          },
        );
      }
      return { channel: id, notAdded: await invite(id, spec.members) };
    },
    invite,
  };
}
