/**
 * Incident channels on Discord: a text channel under the configured category
 * (https://discord.com/developers/docs/resources/guild#create-guild-channel), found first by name
 * among the guild's channels (Discord allows two channels of one name, so it never says "taken").
 * "Inviting" is a member permission overwrite where the channel is private, and only a check that
 * the person is in the server where it is not (https://discord.com/developers/docs/resources/channel#edit-channel-permissions).
 */
import { DiscordAPIError, type REST } from '@discordjs/rest';
import {
  type APIGuildMember,
  type APIOverwrite,
  ChannelType,
  OverwriteType,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  Routes,
} from 'discord-api-types/v10';
import { type ChatSender, type CreatedChannel, DeliveryError, type NewChannel } from '../../core/ports.ts';
import { toDeliveryError } from './errors.ts';

/** The fields of a guild channel object deckhand reads (https://discord.com/developers/docs/resources/channel#channel-object). */
interface GuildChannel {
  id: string;
  type: ChannelType;
  name?: string;
  guild_id?: string;
  parent_id?: string | null;
  topic?: string | null;
  permission_overwrites?: APIOverwrite[];
}
type Logger = { warn(obj: object, msg?: string): void };

/** What an invited person may do in a private incident channel. */
const MEMBER_ALLOW = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
/** A text channel's name is 1–100 characters; its topic at most 1024. */
const NAME_MAX = 100;
const TOPIC_MAX = 1024;

/** Private: the @everyone role (whose id is the guild's) may not view the channel. */
export function isPrivate(channel: Pick<GuildChannel, 'guild_id' | 'permission_overwrites'>): boolean {
  const everyone = channel.permission_overwrites?.find(
    (o) => o.id === channel.guild_id && o.type === OverwriteType.Role,
  );
  return everyone !== undefined && (BigInt(everyone.deny) & PermissionFlagsBits.ViewChannel) !== 0n;
}

/** Why Discord refuses a new channel, and what to do. */
const REFUSED: Record<number, string> = {
  400: 'Discord refused the incident channel: a category holds at most 50 channels and a server 500; archive old incident channels',
  403: 'Discord refused the incident channel: give the bot Manage Channels in the incident category (and Manage Roles to add people to a private one)',
};

const fail = (error: unknown): never => {
  throw toDeliveryError(error);
};

/** createChannel and invite under one category; failures come back as DeliveryErrors. */
export function discordChannels(
  rest: REST,
  category: string,
  logger: Logger,
): Required<Pick<ChatSender, 'createChannel' | 'invite'>> {
  const channel = (id: string) => rest.get(Routes.channel(id)).catch(fail) as Promise<GuildChannel>;

  /** Whether `user` is in the guild (Get Guild Member: 404 Unknown Member / Unknown User when not). */
  const inGuild = async (guild: string, user: string): Promise<boolean> => {
    // Not a snowflake: no one Discord could find.
    if (!/^\d{5,25}$/.test(user)) return false;
    try {
      await (rest.get(Routes.guildMember(guild, user)) as Promise<APIGuildMember>);
      return true;
    } catch (error) {
      const code = error instanceof DiscordAPIError ? error.code : undefined;
      if (code === RESTJSONErrorCodes.UnknownMember || code === RESTJSONErrorCodes.UnknownUser) return false;
      return fail(error);
    }
  };

  const addTo = async (target: GuildChannel, members: string[]): Promise<string[]> => {
    const guild = target.guild_id as string;
    const locked = isPrivate(target);
    const notAdded: string[] = [];
    for (const user of new Set(members)) {
      if (!(await inGuild(guild, user))) {
        logger.warn({ channel: target.id, user }, 'Discord: not a member of the server, not added');
        notAdded.push(user);
        continue;
      }
      // Public channel: everyone in the server sees it; the incident's post mentions them.
      if (!locked) continue;
      await rest
        .put(Routes.channelPermission(target.id, user), {
          body: { type: OverwriteType.Member, allow: String(MEMBER_ALLOW), deny: '0' },
        })
        .catch((error: unknown) => {
          if (error instanceof DiscordAPIError && error.status === 403)
            throw new DeliveryError(`${REFUSED[403]} (code ${error.code})`, undefined, true);
          return fail(error);
        });
    }
    return notAdded;
  };

  return {
    async createChannel(spec: NewChannel): Promise<CreatedChannel> {
      const name = spec.name.slice(0, NAME_MAX);
      const parent = await channel(category);
      if (parent.type !== ChannelType.GuildCategory || !parent.guild_id)
        throw new DeliveryError(
          `discord.incidentCategory ${category} is not a category channel; give the id of a category (right-click it, Copy Channel ID).`,
          undefined,
          true,
        );
      const guild = parent.guild_id;
      const all = (await rest.get(Routes.guildChannels(guild)).catch(fail)) as GuildChannel[];
      let made = all.find(
        (c) => c.type === ChannelType.GuildText && c.parent_id === category && c.name === name,
      );
      if (!made) {
        try {
          made = (await rest.post(Routes.guildChannels(guild), {
            body: {
              name,
              type: ChannelType.GuildText,
              parent_id: category,
              ...(spec.topic ? { topic: spec.topic.slice(0, TOPIC_MAX) } : {}),
              // The category's overwrites, so a private category gives a private channel.
              permission_overwrites: (parent.permission_overwrites ?? []).map((o: APIOverwrite) => ({
                id: o.id,
                type: o.type,
                allow: o.allow,
                deny: o.deny,
              })),
            },
          })) as GuildChannel;
        } catch (error) {
          const refused = error instanceof DiscordAPIError ? REFUSED[error.status] : undefined;
          if (refused)
            throw new DeliveryError(`${refused} (code ${(error as DiscordAPIError).code})`, undefined, true);
          return fail(error);
        }
      }
      return { channel: made.id, notAdded: await addTo({ ...made, guild_id: guild }, spec.members) };
    },
    async invite(id, members) {
      return addTo(await channel(id), members);
    },
  };
}
