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

describe('a configured value inside a longer token', () => {
  const r = new Redactor(['abc123', 'zz-abc']);
  const table: [string, string][] = [
    ['token xoxb-abc123-zzz here', `token ${MASK} here`],
    ['tok-abc123-zzz', MASK],
    ['abc123xyz at the start', `${MASK} at the start`],
    ['at the end zzzabc123', `at the end ${MASK}`],
    ['https://user:abc123xyz@host.example/path', `https://user:${MASK}@host.example/path`],
    ['https://host.example/api/v1abc123/runs?page=2#top', `https://host.example/api/${MASK}/runs?page=2#top`],
    ['https://host.example/?q=1&sig=abc123%2Fzz&x=2', `https://host.example/?q=1&sig=${MASK}&x=2`],
    ['TOKEN=abc123 next', `TOKEN=${MASK} next`],
    ['base64 YWJjabc123== done', `base64 ${MASK} done`],
    ['abc123=tail,abc123.example.com', `${MASK},${MASK}`],
    ['"quoted:abc123~x"', `"quoted:${MASK}"`],
    ['overlapping zz-abc123 once', `overlapping ${MASK} once`],
    ['two abc123 and abc123', `two ${MASK} and ${MASK}`],
    ['abc12 abc 123 nothing', 'abc12 abc 123 nothing'],
  ];
  for (const [input, expected] of table) {
    it(JSON.stringify(input.slice(0, 50)), () => assert.equal(r.redact(input), expected));
  }

  it('masks the whole token in a value stored as JSON too, after an escape included', () => {
    assert.deepEqual(r.redactJson({ a: 'x tok-abc123-zzz y', b: 'line\nabc123z', c: ['q"abc123'] }), {
      a: `x ${MASK} y`,
      b: `line\n${MASK}`,
      c: [`q"${MASK}`],
    });
  });
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
