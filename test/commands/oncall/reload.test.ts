/** A config reload applies a changed `oncall:` at once: an override added for a shift shows in `/oncall`. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createHarness, harnessConfig } from '../../helpers/core-harness.ts';

const yaml = (overrides: string) => `${harnessConfig}
oncall:
  schedules:
    primary:
      timeZone: America/New_York
      rotation: { people: [alice], length: 1d, handoff: "09:00", start: 2026-11-01 }
${overrides}`;

// Mon 30 Nov 2026, 10:00 in New York (UTC-5).
const at = new Date('2026-11-30T15:00:00Z');

describe('/oncall after a config reload', () => {
  let h: Awaited<ReturnType<typeof createHarness>>;
  before(async () => {
    h = await createHarness(yaml(''), { clock: { now: () => at } });
  });
  after(() => h.close());

  it('shows an override added to the file and read again', async () => {
    assert.match((await h.say('/oncall primary')).text ?? '', /Now: @Alice until Tue 1 Dec 09:00/);
    writeFileSync(
      h.config.file,
      yaml('      overrides:\n        - { person: bob, from: 2026-11-30T09:00, to: 2026-11-30T17:00 }\n'),
    );
    const result = await h.deckhand.reload();
    assert.equal(result.error, undefined);
    assert.ok(result.applied.includes('oncall'), JSON.stringify(result));
    assert.ok(!result.restart.includes('oncall'), JSON.stringify(result));
    const text = (await h.say('/oncall primary')).text ?? '';
    assert.match(text, /Now: @Bob until Mon 30 Nov 17:00 \(Mon 30 Nov 22:00 UTC\) \(override\)/);
    assert.match(text, /Next: @Alice until Tue 1 Dec 09:00 \(Tue 1 Dec 14:00 UTC\)/);
    assert.equal(h.deckhand.oncall.now('primary', at)?.person, 'bob');
  });
});
