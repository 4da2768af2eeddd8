import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCircleciAdapter } from '../../../src/ci/circleci/index.ts';
import { circleciSettings, v1Url } from '../../../src/ci/circleci/settings.ts';
import { Redactor } from '../../../src/core/redact.ts';
import { memoryIntake } from '../../helpers/adapter-context.ts';
import { loadConfig } from '../../helpers/config.ts';
import { quietLogger } from '../../helpers/recording-sender.ts';
import { MemoryDedupe } from './fixtures.ts';

describe('CircleCI settings and the example', () => {
  it('reads secrets from the conventional variables unless the config names them', () => {
    const none = { providers: {} } as Parameters<typeof circleciSettings>[0];
    assert.deepEqual(circleciSettings(none, {}), {
      apiUrl: 'https://circleci.com/api/v2',
      token: undefined,
      webhookSecret: undefined,
    });
    const env = {
      CIRCLECI_TOKEN: 't',
      CIRCLECI_WEBHOOK_SECRET: 's',
      CIRCLECI_API_URL: 'https://circleci.example.com/api/v2/',
    };
    assert.deepEqual(circleciSettings(none, env), {
      apiUrl: 'https://circleci.example.com/api/v2',
      token: 't',
      webhookSecret: 's',
    });
    const own = { providers: { circleci: { token: 'config-token' } } } as Parameters<
      typeof circleciSettings
    >[0];
    assert.equal(circleciSettings(own, env).token, 'config-token');
    assert.equal(v1Url('https://circleci.example.com/api/v2'), 'https://circleci.example.com/api/v1.1');
    assert.equal(v1Url('https://proxy.example.com/circleci'), undefined);
  });

  it('examples/circleci/deckhand.yaml loads without any secret and runs every command on CircleCI', async () => {
    const config = await loadConfig('examples/circleci/deckhand.yaml', {});
    for (const command of ['build', 'test', 'deploy', 'rollback'] as const) {
      const pipeline = config.commands[command]?.pipeline ?? '';
      assert.equal(config.pipelines[pipeline]?.provider, 'circleci', command);
    }
    assert.equal(config.repositories.app?.circleci, 'gh/org/app');
    assert.deepEqual(config.providers.circleci, {});
    // Without a token the adapter still starts; its secrets are only what it was given.
    const adapter = createCircleciAdapter({
      config,
      env: { CIRCLECI_TOKEN: 'tok', CIRCLECI_WEBHOOK_SECRET: 'sec' },
      onUpdate: async () => undefined,
      onAlert: async () => undefined,
      dedupe: new MemoryDedupe(),
      intake: memoryIntake(),
      onEvent: async () => undefined,
      apply: async () => undefined,
      logger: quietLogger,
      clock: { now: () => new Date() },
      redactor: new Redactor(),
    });
    assert.deepEqual(adapter.secrets, ['tok', 'sec']);
    assert.equal(adapter.provider.name, 'circleci');
  });

  it('says which variable to set when there is no token', async () => {
    const config = await loadConfig('examples/circleci/deckhand.yaml', {});
    const adapter = createCircleciAdapter({
      config,
      env: {},
      onUpdate: async () => undefined,
      onAlert: async () => undefined,
      dedupe: new MemoryDedupe(),
      intake: memoryIntake(),
      onEvent: async () => undefined,
      apply: async () => undefined,
      logger: quietLogger,
      clock: { now: () => new Date() },
      redactor: new Redactor(),
    });
    await assert.rejects(adapter.provider.listBranches('build'), {
      message: 'CircleCI has no API token: set CIRCLECI_TOKEN (a personal API token).',
    });
  });
});
