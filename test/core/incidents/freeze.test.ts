/** A severe incident freezes deploys to its environments until it is resolved; rollbacks stay possible. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IncidentFreezes } from '../../../src/core/incidents/freeze.ts';
import type { Incident } from '../../../src/core/incidents/types.ts';
import { incidentConfig, incidentHarness } from './harness.ts';

const yaml = `${incidentConfig.replace('  - { name: production, order: 2, protected: true }', '  - { name: production, order: 2 }')}  freezeSeverity: 2
  breakGlassRoles: [lead]
roles:
  lead: {}
`;

describe('incident freezes', () => {
  it('refuses deploys to the environment of an open SEV1, says how to break glass, and lifts at resolve', async () => {
    const h = await incidentHarness({ yaml });
    try {
      await h.say('/incident declare api down --severity 1 --environment production');
      const refused = await h.say('/ci deploy production v1.1.0');
      assert.equal(refused.status, 'error');
      assert.match(
        refused.text ?? '',
        /Deploys to `production` are frozen while incident #1 \(SEV1: api down\) is open/,
      );
      assert.match(refused.text ?? '', /--break-glass/);
      assert.equal(h.ci.provider.triggered.length, 0);
      const staging = await h.say('/ci deploy staging v1.1.0');
      assert.notEqual(staging.status, 'error', 'other environments deploy');
      await h.say('/incident resolve');
      const after = await h.say('/ci deploy production v1.1.0');
      assert.notEqual(after.status, 'error', 'resolved: the freeze is lifted');
      assert.equal(h.ci.provider.triggered.length, 2);
    } finally {
      await h.close();
    }
  });

  it('stops deploys and promotions, never rollbacks; without break-glass roles it says how to add them', () => {
    const freezes = new IncidentFreezes({ severity: 2, breakGlassRoles: [] });
    const incident = { id: 4, title: 'db down', severity: 1, status: 'open', environments: ['production'] };
    freezes.track(incident as Incident);
    assert.match(freezes.at('production', 'promote')?.sentence ?? '', /incidents\.breakGlassRoles/);
    assert.equal(freezes.at('production', 'rollback'), undefined);
    assert.equal(freezes.at('staging', 'deploy'), undefined);
    freezes.track({ ...incident, status: 'resolved' } as Incident);
    assert.equal(freezes.at('production', 'deploy'), undefined);
  });

  it('a milder incident freezes nothing', async () => {
    const h = await incidentHarness({ yaml });
    try {
      await h.say('/incident declare slow search --severity 3 --environment production');
      const reply = await h.say('/ci deploy production v1.1.0');
      assert.notEqual(reply.status, 'error');
    } finally {
      await h.close();
    }
  });
});
