import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MASK, Redactor } from '../../src/core/redact.ts';

describe('redaction', () => {
  const r = new Redactor(['s3cr3t-value', 'abc']);
  const table: [string, string][] = [
    ['deploy with s3cr3t-value now', `deploy with ${MASK} now`],
    ['short abc values are left alone', 'short abc values are left alone'],
    ['token xoxb-1234567890-abcdefghij', `token ${MASK}`],
    ['ghp_0123456789abcdefghijABCDEFGHIJ', MASK],
    ['github_pat_11ABCDEFG0123456789_abcdefghijklmnop', MASK],
    ['glpat-abcdefghij0123456789', MASK],
    ['key AKIAIOSFODNN7EXAMPLE used', `key ${MASK} used`],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----', MASK],
    [
      'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk',
      `Bearer ${MASK}`,
    ],
    ['PASSWORD=hunter2 next', `PASSWORD=${MASK} next`],
    ['db_password: "x y z"', `db_password: ${MASK}`],
    ['api_key=abc123;', `api_key=${MASK};`],
    ['nothing to hide here', 'nothing to hide here'],
  ];
  for (const [input, expected] of table) {
    it(JSON.stringify(input.slice(0, 40)), () => assert.equal(r.redact(input), expected));
  }
});

describe('redacting a value to store as JSON', () => {
  const r = new Redactor(['s3cr3t-value', 'quo"te\\secret']);

  it('masks secrets anywhere in it, escaped ones included, and keeps its shape', () => {
    const value = {
      a: 'x s3cr3t-value y',
      nested: [{ b: 'quo"te\\secret' }],
      n: 1,
      at: 'ghp_0123456789abcdefghijABCDEFGHIJ',
    };
    assert.deepEqual(r.redactJson(value), { a: `x ${MASK} y`, nested: [{ b: MASK }], n: 1, at: MASK });
  });

  it('hands back the value itself when nothing is secret', () => {
    const value = { a: 'plain', n: 2 };
    assert.equal(r.redactJson(value), value);
  });

  it('falls back to masking string by string where the text would stop being JSON (a secret inside a number)', () => {
    const pins = new Redactor(['345678']);
    assert.deepEqual(pins.redactJson({ runId: 123456789, note: 'pin 345678' }), {
      runId: 123456789,
      note: `pin ${MASK}`,
    });
  });
});
