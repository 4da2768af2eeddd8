/** A real deckhand with the web chat and the CircleCI adapter, its API pointed at the CircleCI fake. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createCircleciAdapter } from '../../../src/ci/circleci/index.ts';
import { circleciSystem } from '../../../src/ci/circleci/module.ts';
import { signCircleciBody } from '../../../src/ci/circleci/verify.ts';
import { createDeckhand } from '../../../src/server/deckhand.ts';
import { type CircleciFake, startCircleciFake } from '../../fakes/circleci-api.ts';
import { loadConfig } from '../../helpers/config.ts';
import { ciWith, withModules } from '../../helpers/modules.ts';
import { webchatDriver } from '../../helpers/webchat-driver.ts';
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

export async function startCircleciDeckhand() {
  const fake: CircleciFake = await startCircleciFake({ projects: projects(), tokens: [token] });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'deckhand-circleci-e2e-'));
  writeFileSync(path.join(dir, 'deckhand.yaml'), configYaml(fake.url, chat));
  const env = { CIRCLECI_TOKEN: token, CIRCLECI_WEBHOOK_SECRET: webhookSecret };
  const config = await loadConfig(path.join(dir, 'deckhand.yaml'), env);
  const deckhand = await createDeckhand({
    config,
    env,
    logger: pino({ level: 'silent' }),
    // Webhooks drive this test; polling has its own.
    modules: withModules({
      ci: [ciWith(circleciSystem, (context) => createCircleciAdapter(context, { pollIntervalMs: 0 }))],
    }),
  });
  await deckhand.startWorkers();
  const { app } = deckhand;

  const { say, messages, waitFor } = webchatDriver(app);
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
    await fake.close();
  };
  return { fake, deckhand, config, say, messages, waitFor, deliver, close };
}
