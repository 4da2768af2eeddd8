/** Every example config loads with the built-in modules and no secrets set, its platform section included. */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { LoadedConfig } from '../../src/config/load.ts';
import { canApprove, requirements, satisfied } from '../../src/core/gates/requirements.ts';
import { policyFromConfig } from '../../src/core/policy.ts';
import { gatingFromConfig } from '../../src/server/gating.ts';
import { loadConfig } from '../helpers/config.ts';

const root = path.resolve('examples');

/** The gate settings the server derives from a config (the config part needs no services). */
const gateConfig = (config: LoadedConfig) => gatingFromConfig(config, {} as never).config;

describe('example configs', () => {
  for (const name of readdirSync(root).sort()) {
    it(`examples/${name}/deckhand.yaml is valid`, async () => {
      const config = await loadConfig(path.join(root, name, 'deckhand.yaml'), {});
      assert.ok(config.people.length > 0);
      // A platform's example configures that platform.
      if (name in config.sections) assert.ok(config.sections[name], `the ${name} section is read`);
    });

    it(`examples/${name}: a developer cannot deploy to production; a release manager can, after another's approval`, async () => {
      const config = await loadConfig(path.join(root, name, 'deckhand.yaml'), {});
      const policy = policyFromConfig(config);
      assert.ok(!policy.open && !policy.ungranted, 'the example grants commands to roles');
      const holding = (role: string) => config.people.filter((p) => p.roles.includes(role));
      const [developer] = holding('developer');
      const [manager, approver] = holding('release-manager');
      assert.ok(developer && manager && approver, 'a developer and two release managers');
      const [platform, userId] = Object.entries(developer.chat)[0] ?? ['webchat', developer.id];
      const ask = (person: typeof developer, command: string, environment?: string) =>
        policy.decide({
          person,
          platform,
          userId,
          channel: 'anywhere',
          family: 'ci',
          command,
          args: { environment },
        });
      for (const command of ['build', 'test', 'status']) assert.ok(ask(developer, command).allowed, command);
      assert.ok(ask(developer, 'deploy', 'staging').allowed, 'developers deploy to staging');
      const refused = ask(developer, 'deploy', 'production');
      assert.equal(refused.allowed, false);
      assert.match(refused.reason ?? '', /Roles that may: release-manager/);
      assert.ok(ask(manager, 'deploy', 'production').allowed, 'release managers deploy to production');

      // The production deploy is held for one approval from a release manager, in a configured channel.
      const needs = requirements(gateConfig(config), 'deploy', 'production');
      assert.deepEqual(
        needs.rules.map((r) => [r.roles, r.count]),
        [[['release-manager'], 1]],
      );
      assert.ok(
        needs.channel && needs.channel in config.channels,
        `approvals go to a channel: ${needs.channel}`,
      );
      assert.equal(canApprove(needs.rules, developer.roles), false, 'a developer cannot approve');
      assert.ok(canApprove(needs.rules, approver.roles));
      assert.equal(satisfied(needs.rules, []), false, 'it waits');
      const vote = { by: approver.id, at: new Date(), roles: approver.roles };
      assert.ok(satisfied(needs.rules, [vote]), "another release manager's approval is enough");
      assert.equal(requirements(gateConfig(config), 'deploy', 'staging').rules.length, 0);
    });
  }
});
