import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestDeckhand } from '../../helpers/test-deckhand.ts';

const trivy = fileURLToPath(new URL('../../fixtures/sarif/trivy-alpine-310.sarif.json', import.meta.url));

const yaml = `
database: { dataDir: data }
repositories:
  app: { url: demo-repo, defaultBranch: main, seedDemo: true }
policy: { allowEveryone: true }
people:
  - { id: alice, name: Alice, chat: { webchat: alice } }
channels:
  general: {}
  security: {}
commands:
  build: { pipeline: build }
pipelines:
  build:
    repository: app
    timeout: 1m
    sarif: [trivy.sarif]
    env: { TRIVY_FIXTURE: '${trivy}' }
    steps:
      - { name: scan, run: 'cp "$TRIVY_FIXTURE" trivy.sarif' }
notifications:
  - { kind: security, channels: [security] }
security: { minSeverity: medium }
`;

describe('SARIF from a local run', () => {
  let t: Awaited<ReturnType<typeof startTestDeckhand>>;
  before(async () => {
    t = await startTestDeckhand({ yaml });
  });
  after(() => t.deckhand.close());

  it('a run’s Trivy log reaches #security naming the run; the next run’s same findings do not', async () => {
    await t.say('/ci build main');
    const message = await t.waitFor('security', /Security findings in app: 4 new/);
    assert.match(message.text, /From: run #1 \(build on main\)/);
    assert.match(message.text, /in libssl1\.1 1\.1\.1c-r0, fixed in 1\.1\.1d-r2/);
    await t.say('/ci build main');
    await t.waitFor('general', /run #2 succeeded/);
    await t.deckhand.handled();
    await t.deckhand.outbox.settle();
    assert.equal((await t.messages('security')).length, 1);
  });
});
