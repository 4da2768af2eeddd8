/** A real deckhand with the web chat and the CircleCI adapter, its API pointed at the CircleCI fake. */
import { createCircleciAdapter } from '../../../src/ci/circleci/index.ts';
import { circleciSystem } from '../../../src/ci/circleci/module.ts';
import { signCircleciBody } from '../../../src/ci/circleci/verify.ts';
import { type CircleciFake, startCircleciFake } from '../../fakes/circleci-api.ts';
import { ciWith, withModules } from '../../helpers/modules.ts';
import { startTestDeckhand, type TestDeckhandOptions } from '../../helpers/test-deckhand.ts';
import { configYaml, projects, token, webhookSecret } from './fixtures.ts';

const chat = `
channels:
  general: {}
  ci-builds: {}
  deployments: {}
notifications:
  - { kind: build, channels: [ci-builds] }
  - { kind: [deploy, rollback], channels: [deployments] }
`;

export async function startCircleciDeckhand(
  restart: Pick<TestDeckhandOptions, 'dir' | 'workers'> & { fake?: CircleciFake } = {},
) {
  const fake: CircleciFake =
    restart.fake ?? (await startCircleciFake({ projects: projects(), tokens: [token] }));
  const { deckhand, config, app, dir, say, messages, waitFor } = await startTestDeckhand({
    yaml: configYaml(fake.url, chat),
    env: { CIRCLECI_TOKEN: token, CIRCLECI_WEBHOOK_SECRET: webhookSecret },
    // Webhooks drive this test; polling has its own.
    modules: withModules({
      ci: [ciWith(circleciSystem, (context) => createCircleciAdapter(context, { pollIntervalMs: 0 }))],
    }),
    dir: restart.dir,
    workers: restart.workers,
  });
  /** Delivers a webhook as CircleCI does: JSON, signed with the webhook's secret. */
  const deliver = (payload: { type: string }, o: { signature?: string } = {}) => {
    const body = JSON.stringify(payload);
    return app.inject({
      method: 'POST',
      url: '/webhooks/circleci',
      payload: body,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'CircleCI-Webhook/1.0',
        'circleci-event-type': payload.type,
        'circleci-signature': o.signature ?? `v1=${signCircleciBody(webhookSecret, body)}`,
      },
    });
  };
  const close = async () => {
    await deckhand.close();
    if (!restart.fake) await fake.close();
  };
  return { fake, deckhand, config, dir, say, messages, waitFor, deliver, close };
}
