/** A core with an order of environments, approvals and an outside channel, for the `/ci` operations tests. */
import assert from 'node:assert/strict';
import type { Message } from '../../../src/core/messages.ts';
import { createHarness } from '../../helpers/core-harness.ts';
import type { Sent } from '../../helpers/recording-sender.ts';

export type Harness = Awaited<ReturnType<typeof createHarness>>;

export const opsConfig = `
repositories:
  app: { url: ./repo }
people:
  - { id: alice, name: Alice, roles: [developer], chat: { test: U1 }, emails: [alice@example.com] }
  - { id: bob, name: Bob, roles: [sre], chat: { test: U2 } }
  - { id: carol, name: Carol, roles: [viewer], chat: { test: U3 } }
roles:
  developer: { allow: [{ commands: [build, deploy, promote, rollback, retry, status, envs, history] }] }
  sre: { allow: [{ commands: "*" }] }
  viewer: { allow: [{ commands: [status, envs, history, retry] }] }
channels:
  general: { test: C-general }
  deploys: { test: C-deploys }
  approvals: { test: C-approvals }
  outside: { test: C-outside }
commands:
  build: { pipeline: p }
  deploy: { pipeline: p }
  rollback: { pipeline: p }
pipelines:
  p: { repository: app, steps: [{ name: s, run: "true" }] }
environments:
  - { name: dev, order: 1, protected: true }
  - { name: staging, order: 2 }
  - { name: preprod, order: 3, approvals: { roles: [sre], commands: [deploy, rollback] } }
  - { name: production, order: 4 }
approvals: { channel: approvals }
confirmations: { commands: [] }
deployments:
  after: { production: staging }
  breakGlass: { roles: [sre] }
  outsideChannel: outside
notifications:
  - { kind: [deploy, rollback], channels: [deploys] }
`;

export const opsHarness = () => createHarness(opsConfig);

/** The newest post matching `pattern` (header or text), in `channel` when given. */
export function latest(h: Harness, pattern: RegExp, channel?: string): Sent {
  const found = h.sender.sent
    .filter((s) => s.op === 'post' && (!channel || s.channel === channel))
    .reverse()
    .find((s) => pattern.test(`${s.message.header ?? ''}\n${s.message.text ?? ''}`));
  assert.ok(found, `a message matching ${pattern}`);
  return found;
}

export function button(m: Message, label: string): string {
  const found = m.buttons?.find((b) => b.label === label);
  assert.ok(found, `a ${label} button on "${m.header}"`);
  return found.id;
}

/** Deploys `version` to `environment` as Alice (confirming where asked) and lets it end as `status`. */
export async function deployed(
  h: Harness,
  environment: string,
  version: string,
  status: 'succeeded' | 'failed' = 'succeeded',
): Promise<number> {
  const before = h.provider.triggered.length;
  const reply = await h.say(`/ci deploy ${environment} ${version}`);
  if (reply.header?.startsWith('Confirm:')) {
    const prompt = latest(h, /^Confirm: deploy/, 'C-general');
    await h.click(prompt.messageId, button(prompt.message, 'Confirm'));
  }
  assert.equal(
    h.provider.triggered.length,
    before + 1,
    `deployed ${version} to ${environment}: ${reply.text}`,
  );
  const runId = h.provider.triggered.at(-1)?.runId as number;
  await h.finish(runId, status);
  return runId;
}
