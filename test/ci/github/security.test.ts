import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { securityAlert, securityAlertMessage } from '../../../src/ci/github/index.ts';
import { toPlainText } from '../../../src/core/messages.ts';
import { example } from './examples.ts';

describe('GitHub security alerts', () => {
  it('a Dependabot alert becomes a message only when high or critical', () => {
    for (const [severity, notified] of [
      ['low', false],
      ['medium', false],
      ['high', true],
      ['critical', true],
    ] as const) {
      const payload = example('dependabot_alert', (e) => e.action === 'created');
      payload.alert.security_advisory.severity = severity;
      assert.equal(securityAlertMessage(payload) !== undefined, notified, severity);
    }
    const payload = example('dependabot_alert', (e) => e.action === 'created');
    payload.alert.security_advisory.severity = 'critical';
    const text = toPlainText(securityAlertMessage(payload) ?? {});
    assert.match(
      text,
      /Security alert \(critical\): semver: semver vulnerable to Regular Expression Denial of Service/,
    );
    assert.match(text, /Repository: wolfy1339\/pika-pack/);
    assert.match(text, /Package: semver/);
    assert.match(text, /Alert: https:\/\/github\.com\/wolfy1339\/pika-pack\/security\/dependabot\/20/);
  });

  it('a code scanning alert uses its rule’s security severity; a plain error rule is medium', () => {
    const payload = example('code_scanning_alert', (e) => e.action === 'created');
    assert.equal(securityAlert(payload)?.severity, 'medium');
    assert.equal(securityAlertMessage(payload), undefined);
    payload.alert.rule.security_severity_level = 'high';
    const alert = securityAlert(payload);
    assert.deepEqual(
      [alert?.source, alert?.severity, alert?.subject, alert?.title],
      ['code-scanning', 'high', 'java/sql-injection', 'Query built from user-controlled sources'],
    );
    assert.match(toPlainText(securityAlertMessage(payload) ?? {}), /Rule: java\/sql-injection/);
  });

  it('anything else is not an alert', () => {
    assert.equal(securityAlert({}), undefined);
    assert.equal(securityAlert(example('workflow_run')), undefined);
    assert.equal(securityAlertMessage('not a payload'), undefined);
  });
});
