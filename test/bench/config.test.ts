/** The benchmarks' configurations load as deckhand checks them today, for every platform they run on. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { benchYaml } from '../../bench/lib/config.ts';
import { parseConfig } from '../helpers/config.ts';

describe('benchmark configurations', () => {
  for (const platform of ['slack', 'teams', 'mattermost', 'discord']) {
    it(`load on ${platform}, with channels routed and without`, () => {
      for (const channels of [0, 3]) {
        const config = parseConfig(benchYaml({ platform, channels }), '/bench/deckhand.yaml', {});
        assert.ok(config.sections[platform], `${platform} is configured`);
        assert.ok(config.notifications.length > 0);
      }
    });
  }
});
