import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { closeHarness, createHarness, type Harness } from './harness.ts';

describe('webchat page', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => closeHarness(h));

  test('/ serves the page with the stable test ids and a strict content policy', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/' });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/html/);
    assert.match(String(response.headers['content-security-policy']), /script-src 'self'/);
    for (const id of ['message-input', 'user-picker', 'thread-panel', 'thread-input', 'error']) {
      assert.ok(response.body.includes(`data-testid="${id}"`), `page has data-testid="${id}"`);
    }
    assert.ok(response.body.includes('/web/app.js'));
    assert.ok(response.body.includes('/web/style.css'));
  });

  test('the script builds the dynamic test ids', () => {
    const script = readFileSync(new URL('../../../web/render.js', import.meta.url), 'utf8');
    const app = readFileSync(new URL('../../../web/app.js', import.meta.url), 'utf8');
    const ids = ["'data-testid': 'message'", "'data-testid': 'thread-link'", "'data-testid': `action-${"];
    for (const id of [...ids, "'data-testid': `channel-${"]) {
      assert.ok(script.includes(id) || app.includes(id), `script sets ${id}`);
    }
    assert.ok(!/innerHTML/.test(script + app), 'user text never goes through innerHTML');
  });

  for (const [file, type] of [
    ['app.js', /^text\/javascript/],
    ['render.js', /^text\/javascript/],
    ['style.css', /^text\/css/],
    ['messages.css', /^text\/css/],
  ] as const) {
    test(`/web/${file} is served as ${type.source}`, async () => {
      const response = await h.app.inject({ method: 'GET', url: `/web/${file}` });
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), type);
      assert.equal(response.headers['x-content-type-options'], 'nosniff');
      assert.equal(response.body, readFileSync(new URL(`../../../web/${file}`, import.meta.url), 'utf8'));
    });
  }

  for (const url of [
    '/web/../package.json',
    '/web/..%2fpackage.json',
    '/web/..%2F..%2Fpackage.json',
    '/web/%2e%2e/package.json',
    '/web/index.html/../../package.json',
    '/web/constructor',
    '/web/toString',
    '/web/missing.js',
    '/web/',
  ]) {
    test(`${url} is a 404`, async () => {
      const response = await h.app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 404);
      assert.ok(!response.body.includes('"name": "deckhand"'));
    });
  }
});
