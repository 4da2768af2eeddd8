/** Teams offers no incident channels (Graph's Channel.Create is beyond the bot): the flag and members agree. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTeamsSender } from '../../../src/chat/teams/sender.ts';

describe('Teams incident channels', () => {
  it('keeps createChannels off and has neither createChannel nor invite, so incidents use a thread', () => {
    const sender = createTeamsSender({ serviceUrl: 'http://127.0.0.1:9/', token: async () => 't' });
    assert.equal(sender.capabilities.createChannels, false);
    assert.equal(sender.createChannel, undefined);
    assert.equal(sender.invite, undefined);
    assert.equal(sender.capabilities.threads, true, 'the fallback, a thread, is there');
  });
});
