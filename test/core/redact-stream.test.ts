import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MASK, Redactor } from '../../src/core/redact.ts';
import { RedactingStream } from '../../src/core/redact-stream.ts';

/** Feeds `pieces` through a stream and returns everything it let out. */
function through(redactor: Redactor, pieces: (string | Buffer)[]): { out: string; early: string[] } {
  const stream = new RedactingStream(redactor);
  const early = pieces.map((p) => stream.push(p));
  return { out: early.join('') + stream.end(), early };
}

describe('redacting output that comes in pieces', () => {
  const redactor = new Redactor(['db-pa55word-for-prod', 'line-one\nline-two-secret']);

  it('catches a configured value split across two pieces, at every split point', () => {
    const text = 'connecting with db-pa55word-for-prod now\n';
    for (let i = 1; i < text.length; i++) {
      const { out } = through(redactor, [text.slice(0, i), text.slice(i)]);
      assert.equal(out, `connecting with ${MASK} now\n`, `split at ${i}`);
    }
  });

  it('catches a token shape split across pieces, and a value holding a newline', () => {
    const token = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    const { out } = through(redactor, [
      `token ${token.slice(0, 10)}`,
      `${token.slice(10)} ok\nkey line-one\nline`,
      '-two-secret\n',
    ]);
    assert.equal(out, `token ${MASK} ok\nkey ${MASK}\n`);
  });

  it('waits for a private key block to end before writing any of it', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\nxyz\n-----END RSA PRIVATE KEY-----';
    const { out, early } = through(redactor, [
      'before\n',
      `${pem.slice(0, 40)}\n`,
      `${pem.slice(41)}\nafter\n`,
    ]);
    assert.equal(early[1], '', 'nothing of the key goes out while its end has not come');
    assert.equal(out, `before\n${MASK}\nafter\n`);
  });

  it('writes whole lines as they complete, and keeps multi-byte characters whole across pieces', () => {
    const bytes = Buffer.from('é ok\nnext');
    const { early, out } = through(redactor, [bytes.subarray(0, 1), bytes.subarray(1)]);
    assert.equal(early[0], '');
    assert.equal(early[1], 'é ok\n');
    assert.equal(out, 'é ok\nnext');
  });

  it('lets a very long line out before it ends, but for the token a secret could start in', () => {
    const long = 'word '.repeat(14 * 1024);
    const stream = new RedactingStream(redactor);
    const first = stream.push(`${long}tok-db-pa55word`);
    assert.ok(first.length > 60 * 1024, 'most of the line went out');
    assert.ok(!first.includes('tok-'), 'the token the secret is part of waited');
    assert.equal(first + stream.push('-for-prod-zzz\n') + stream.end(), `${long}${MASK}\n`);
  });

  it('holds back the whole token when the cut of a long line falls inside it', () => {
    const long = 'word '.repeat(14 * 1024);
    const token = `${'q'.repeat(2000)}db-pa55word-for-prod`;
    for (const split of [1000, 1990, 2000, 2011]) {
      const stream = new RedactingStream(redactor);
      const first = stream.push(`${long}${token.slice(0, split)}`);
      assert.ok(
        first.length > 60 * 1024 && !first.includes('q'),
        `nothing of the token went out (split at ${split})`,
      );
      assert.equal(first + stream.push(`${token.slice(split)} end\n`) + stream.end(), `${long}${MASK} end\n`);
    }
  });

  it('does not hold a token longer than the hold limit forever', () => {
    const stream = new RedactingStream(redactor);
    const first = stream.push('x'.repeat(70 * 1024));
    assert.ok(first.length > 60 * 1024, 'most of it went out');
    assert.equal(first + stream.end(), 'x'.repeat(70 * 1024));
  });
});

describe('redacting a token that holds a secret, in pieces', () => {
  const redactor = new Redactor(['abc123']);

  it('masks the whole token at every split point', () => {
    const text = 'auth tok-abc123-zzz done, https://u:abc123xyz@host/p\n';
    for (let i = 1; i < text.length; i++) {
      const { out } = through(redactor, [text.slice(0, i), text.slice(i)]);
      assert.equal(out, `auth ${MASK} done, https://u:${MASK}@host/p\n`, `split at ${i}`);
    }
  });

  it('masks it when the secret is a whole piece, or starts or ends one', () => {
    const cases: [string[], string][] = [
      [['url https://u:', 'abc123', 'xyz@h\n'], `url https://u:${MASK}@h\n`],
      [['x tok-abc123', '-zzz\n'], `x ${MASK}\n`],
      [['x tok-', 'abc123-zzz\n'], `x ${MASK}\n`],
      [['abc123', 'zzz y\n', 'qq-abc123'], `${MASK} y\n${MASK}`],
    ];
    for (const [pieces, expected] of cases)
      assert.equal(through(redactor, pieces).out, expected, pieces.join('|'));
  });
});
