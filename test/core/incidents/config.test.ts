/** `incidents:` in deckhand.yaml: checked at load, with the path and a did-you-mean. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkIncidentOnCall } from '../../../src/config/incidents.ts';
import { configProblems, parseConfig } from '../../helpers/config.ts';

const base = `
channels:
  incidents: {}
roles:
  lead: {}
incidents:
  channel: incidents
  rollbackWindow: 90m
  breakGlassRoles: [lead]
`;

const problems = (text: string) => configProblems(text);

describe('incidents config', () => {
  it('reads a valid section, durations in milliseconds, defaults filled in', () => {
    const config = parseConfig(base, '/srv/deckhand/deckhand.yaml', {});
    assert.deepEqual(config.incidents, {
      channel: 'incidents',
      rollbackWindow: 90 * 60_000,
      defaultSeverity: 3,
      breakGlassRoles: ['lead'],
    });
  });

  it('names an unknown channel and role with a guess, an unknown key, and a bad duration', () => {
    const found = problems(
      base.replace('channel: incidents', 'channel: incidnets').replace('[lead]', '[laed]'),
    );
    assert.deepEqual(
      found.map((p) => [p.path, p.message]),
      [
        ['incidents.channel', 'unknown channel "incidnets"; did you mean "incidents"?'],
        ['incidents.breakGlassRoles.0', 'unknown role "laed"; did you mean "lead"?'],
      ],
    );
    const key = problems(base.replace('rollbackWindow: 90m', 'rollbackWindw: 90m'));
    assert.equal(key[0]?.path, 'incidents.rollbackWindw');
    assert.match(key[0]?.message ?? '', /rollbackWindw/);
    const duration = problems(base.replace('90m', 'soon'));
    assert.match(duration[0]?.message ?? '', /"soon" is not a duration/);
  });

  it('names an unknown schedule or escalation policy with a guess (once the oncall section is wired)', () => {
    const found: [string, string][] = [];
    checkIncidentOnCall(
      {
        channel: 'incidents',
        schedule: 'primray',
        escalation: 'paging',
        rollbackWindow: 0,
        defaultSeverity: 3,
        breakGlassRoles: [],
      },
      { schedules: ['primary'], policies: ['default'] },
      (path, message) => found.push([path.join('.'), message]),
    );
    assert.deepEqual(found, [
      ['incidents.schedule', 'unknown schedule "primray"; did you mean "primary"?'],
      ['incidents.escalation', 'unknown escalation policy "paging"; add it under oncall (default)'],
    ]);
  });
});
