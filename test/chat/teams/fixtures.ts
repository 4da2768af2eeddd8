/**
 * Activities as Teams sends them, copied from Microsoft's documentation (each names its page).
 * What a test must change is changed where it is used, never here: the service URL (a region of
 * the local fake), the activity id where the page leaves it out, and the typed text.
 */
import type { AdaptiveCardInvokeValue } from '@microsoft/teams.api';

/**
 * A channel message with an `<at>` mention, posted in a thread (conversation id
 * `…@thread.skype;messageid=<root>`): "Retrieve mentions", JSON tab,
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/channel-and-group-conversations
 * (MicrosoftDocs/msteams-docs msteams-platform/bots/how-to/conversations/channel-and-group-conversations.md).
 * The page gives it no `id`.
 */
export const channelThreadMention = {
  type: 'message',
  text: 'Hey <at>Pranav Smith</at> check out this message',
  timestamp: '2017-10-29T00:51:05.9908157Z',
  localTimestamp: '2017-10-28T17:51:05.9908157-07:00',
  serviceUrl: 'https://skype.botframework.com',
  channelId: 'msteams',
  from: { id: '29:9e52142b-5e5e-4d7b-bb3e-e82dcf620000', name: 'Jane Smith' },
  conversation: { id: '19:aebd0ad4d6ab42c8b9ed19c251c2fc37@thread.skype;messageid=1481567603816' },
  recipient: { id: '8:orgid:6aebbad0-e5a5-424a-834a-20fb051f3c1a', name: 'stlrgload100' },
  attachments: [
    {
      contentType: 'image/png',
      contentUrl: 'https://upload.wikimedia.org/wikipedia/en/a/a6/Bender_Rodriguez.png',
      name: 'Bender_Rodriguez.png',
    },
  ],
  entities: [
    {
      type: 'mention',
      mentioned: { id: '29:08q2j2o3jc09au90eucae', name: 'Pranav Smith' },
      text: '<at>@Pranav Smith</at>',
    },
  ],
  replyToId: '3UP4UTkzUk1zzeyW',
};

/** The channel the documented thread lives in, and the thread's root. */
export const DOCS_CHANNEL = '19:aebd0ad4d6ab42c8b9ed19c251c2fc37@thread.skype';
export const DOCS_THREAD_ROOT = '1481567603816';
export const JANE = '29:9e52142b-5e5e-4d7b-bb3e-e82dcf620000';

/**
 * A personal (1:1) chat message: "Receive a message", JSON tab,
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/conversation-messages
 * (MicrosoftDocs/msteams-docs msteams-platform/bots/how-to/conversations/conversation-messages.md).
 */
export const personalMessage = {
  type: 'message',
  id: '1485983408511',
  timestamp: '2017-02-01T21:10:07.437Z',
  localTimestamp: '2017-02-01T14:10:07.437-07:00',
  serviceUrl: 'https://smba.trafficmanager.net/amer/',
  channelId: 'msteams',
  from: {
    id: '29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB39ATiQWA85gQtHieVkKilBZ9XHoq9j7Zaqt7CZ-NJWi7me2kHTL3Bw',
    name: 'Megan Bowen',
    aadObjectId: '7faf8ab2-3d56-4244-b585-20c8a42ed2b8',
  },
  conversation: {
    conversationType: 'personal',
    id: 'a:17I0kl9EkpE1O9PH5TWrzrLNwnWWcfrU7QZjKR0WSfOpzbfcAg2IaydGElSo10tVr4C7Fc6GtieTJX663WuJCc1uA83n4CSrHSgGBj5XNYLcVlJAs2ZX8DbYBPck201w-',
  },
  recipient: { id: '28:c9e8c047-2a74-40a2-b28a-b162d5f5327c', name: 'Teams TestBot' },
  textFormat: 'plain',
  text: 'Hello Teams TestBot.Sending bold-italic rich text',
  attachments: [
    {
      contentType: 'text/html',
      content:
        '<div><div>Hello Teams TestBot. Sending <strong>bold</strong>-<em>italic</em> rich text.</div>\n</div>',
    },
  ],
  entities: [
    {
      locale: 'en-US',
      country: 'US',
      platform: 'Windows',
      timezone: 'America/Los_Angeles',
      type: 'clientInfo',
    },
  ],
  channelData: { tenant: { id: '72f988bf-86f1-41af-91ab-2d7cd011db47' } },
  locale: 'en-US',
};

export const MEGAN = '7faf8ab2-3d56-4244-b585-20c8a42ed2b8';

/**
 * An `Action.Execute` click: an `invoke` named `adaptiveCard/action` whose value is the SDK's
 * `AdaptiveCardInvokeValue` (@microsoft/teams.api models/adaptive-card; request format:
 * https://learn.microsoft.com/adaptive-cards/authoring-cards/universal-action-model#request-format),
 * on the envelope of the documented channel message above; `replyToId` is the card's message.
 */
export const cardAction = (verb: string, cardId: string) => {
  const value: AdaptiveCardInvokeValue = {
    action: { type: 'Action.Execute', id: `${verb}-button`, verb, data: { actionId: verb } },
    trigger: 'manual',
  };
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: `f:${cardId}-${verb}`,
    timestamp: '2017-10-29T00:51:05.9908157Z',
    serviceUrl: 'https://skype.botframework.com',
    channelId: 'msteams',
    from: channelThreadMention.from,
    conversation: { id: DOCS_CHANNEL },
    recipient: channelThreadMention.recipient,
    replyToId: cardId,
    value,
  };
};
