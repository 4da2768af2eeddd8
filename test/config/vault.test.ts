import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { SlackConfig } from '../../src/chat/slack/config.ts';
import { ConfigError, type ConfigProblem } from '../../src/config/load.ts';
import { Redactor } from '../../src/core/redact.ts';
import { builtinModules } from '../../src/modules/builtin.ts';
import { secretValues } from '../../src/server/secrets.ts';
import { startVaultFake, type VaultFake } from '../fakes/vault-api.ts';
import { loadConfig, parseConfig } from '../helpers/config.ts';

const token = 'hvs.CAESIJ-test-token-5e1f';
const botToken = 'xoxb-from-vault-1234567890';
const signingSecret = 'signing-secret-from-vault-8c1d';
const apiKey = 'deploy-key-v2-from-vault';

const base = `
repositories:
  app: { url: ./repo }
pipelines:
  build:
    repository: app
    steps: [{ name: compile, run: make }]
commands:
  build: { pipeline: build }
`;

/** Slack's two secrets from one Vault path: lines 2 and 3. */
const slackFromVault = `slack:
  botToken: \${vault:secret/deckhand/slack#bot_token}
  signingSecret: \${vault:secret/deckhand/slack#signing_secret}
${base}`;

let fake: VaultFake;
let dir: string;

function write(text: string): string {
  const file = path.join(dir, 'deckhand.yaml');
  writeFileSync(file, text);
  return file;
}

/** The problems `loadConfig` reports for this text, with every message checked for the token. */
async function problems(
  text: string,
  env: Record<string, string> = { VAULT_ADDR: fake.url, VAULT_TOKEN: token },
  options = {},
): Promise<ConfigProblem[]> {
  try {
    await loadConfig(write(text), env, options);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    assert.ok(!error.message.includes(token), `the token leaked: ${error.message}`);
    return error.problems;
  }
  assert.fail('expected a ConfigError');
}

const slackOf = (c: { sections: Record<string, unknown> }) => c.sections.slack as SlackConfig | undefined;

describe(`$\{vault:…} references`, () => {
  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'deckhand-vault-'));
    fake = await startVaultFake({
      tokens: [token],
      mounts: {
        secret: {
          'deckhand/slack': [
            { bot_token: 'xoxb-old-1234567890', signing_secret: 'old-signing-secret' },
            { bot_token: botToken, signing_secret: signingSecret, workspace: 'acme' },
          ],
          'deckhand/deploy': [{ api_key: apiKey, port: 8443 }],
          'deckhand/gone': [{ api_key: 'deleted-value' }, null],
        },
      },
    });
  });
  afterEach(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resolves values, reading several keys of one path with one request', async () => {
    const config = await loadConfig(write(slackFromVault), { VAULT_ADDR: fake.url, VAULT_TOKEN: token });
    assert.equal(slackOf(config)?.botToken, botToken);
    assert.equal(slackOf(config)?.signingSecret, signingSecret);
    assert.equal(fake.calls.length, 1, 'one request for both keys');
    assert.equal(fake.calls[0]?.method, 'GET');
    assert.equal(fake.calls[0]?.url, '/v1/secret/data/deckhand/slack');
    assert.equal(fake.calls[0]?.headers['x-vault-token'], token);
    assert.equal(fake.calls[0]?.headers['x-vault-namespace'], undefined);
  });

  it('fetches each distinct path once, versions apart, and sends the namespace', async () => {
    fake.namespace = 'team-a';
    const text = `server:
  publicUrl: "https://\${vault:secret/deckhand/deploy#api_key}.example.com"
  port: \${vault:secret/deckhand/deploy#port}
slack:
  botToken: \${vault:secret/deckhand/slack#bot_token@1}
  signingSecret: \${vault:secret/deckhand/slack#signing_secret}
  appToken: \${vault:secret/deckhand/slack#bot_token}
${base}`;
    const config = await loadConfig(write(text), {
      VAULT_ADDR: `${fake.url}/`,
      VAULT_TOKEN: token,
      VAULT_NAMESPACE: 'team-a',
    });
    assert.equal(config.server.publicUrl, `https://${apiKey}.example.com`);
    assert.equal(config.server.port, 8443, 'an unquoted reference reads as the number it holds');
    assert.equal(slackOf(config)?.botToken, 'xoxb-old-1234567890', '@1 reads version 1');
    assert.equal(slackOf(config)?.appToken, botToken, 'no version reads the latest');
    assert.deepEqual(fake.calls.map((c) => c.url).sort(), [
      '/v1/secret/data/deckhand/deploy',
      '/v1/secret/data/deckhand/slack',
      '/v1/secret/data/deckhand/slack?version=1',
    ]);
    assert.ok(fake.calls.every((c) => c.headers['x-vault-namespace'] === 'team-a'));
  });

  it('keeps every value from Vault as a secret, so the redactor masks it', async () => {
    const text = slackFromVault.replace(
      '    repository: app\n',
      `    repository: app\n    env: { DEPLOY_KEY: "$\{vault:secret/deckhand/deploy#api_key}" }\n`,
    );
    const env = { VAULT_ADDR: fake.url, VAULT_TOKEN: token };
    const config = await loadConfig(write(text), env);
    assert.deepEqual(config.secrets.sort(), [apiKey, signingSecret, botToken].sort());
    const redactor = new Redactor(secretValues(config, env, builtinModules));
    const line = `deploying with ${apiKey}, signing with ${signingSecret} as ${botToken} using ${token}`;
    assert.equal(
      redactor.redact(line),
      'deploying with [redacted], signing with [redacted] as [redacted] using [redacted]',
    );
  });

  it('explains a token Vault refuses (403) at the path and line, without the token', async () => {
    const found = await problems(slackFromVault, {
      VAULT_ADDR: fake.url,
      VAULT_TOKEN: 'hvs.wrong-token-0000',
    });
    assert.equal(fake.calls.length, 1);
    assert.deepEqual(
      found.map((p) => [p.path, p.line]),
      [
        ['slack.botToken', 2],
        ['slack.signingSecret', 3],
      ],
    );
    assert.match(
      found[0]?.message ?? '',
      /^Vault denied reading secret\/deckhand\/slack \(HTTP 403\); check that VAULT_TOKEN is valid and its policy grants read on secret\/data\/deckhand\/slack$/,
    );
    assert.ok(found.every((p) => !p.message.includes('hvs.wrong-token-0000')));
  });

  it('explains a path Vault does not have (404) and a deleted version', async () => {
    const found = await problems(
      `slack:\n  botToken: \${vault:secret/deckhand/slak#bot_token}\n  appToken: \${vault:secret/deckhand/gone#api_key}\n${base}`,
    );
    assert.deepEqual(found[0], {
      path: 'slack.botToken',
      line: 2,
      column: 3,
      message:
        'Vault has no secret at secret/deckhand/slak (HTTP 404); check the mount "secret" is a KV version 2 engine and the path is right',
    });
    assert.deepEqual(found[1], {
      path: 'slack.appToken',
      line: 3,
      column: 3,
      message: 'secret/deckhand/gone in Vault is deleted; undelete it or name another version',
    });
  });

  it('explains a key the path does not hold, naming the keys it has', async () => {
    const found = await problems(`slack:\n  botToken: \${vault:secret/deckhand/slack#bot-token}\n${base}`);
    assert.deepEqual(found, [
      {
        path: 'slack.botToken',
        line: 2,
        column: 3,
        message:
          'secret/deckhand/slack in Vault has no key "bot-token" (its keys: bot_token, signing_secret, workspace)',
      },
    ]);
  });

  it('explains an unreachable Vault and one that does not answer in time', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const nobody = `http://127.0.0.1:${port}`;
    const [refused] = await problems(slackFromVault, { VAULT_ADDR: nobody, VAULT_TOKEN: token });
    assert.equal(refused?.path, 'slack.botToken');
    assert.equal(refused?.line, 2);
    assert.equal(
      refused?.message,
      `cannot reach Vault at ${nobody} to read secret/deckhand/slack (ECONNREFUSED)`,
    );

    fake.delayMs = 2000;
    const started = Date.now();
    const [slow] = await problems(slackFromVault, undefined, { vault: { timeoutMs: 150 } });
    assert.ok(Date.now() - started < 1500, 'the timeout cut the wait short');
    assert.equal(slow?.line, 2);
    assert.equal(
      slow?.message,
      `Vault at ${fake.url} did not answer within 0.15s while reading secret/deckhand/slack`,
    );
  });

  it('explains malformed answers and other statuses, never quoting the token', async () => {
    const one = `slack:\n  botToken: \${vault:secret/deckhand/slack#bot_token}\n${base}`;
    fake.override = { status: 200, body: '<html>proxy login</html>' };
    assert.match(
      (await problems(one))[0]?.message ?? '',
      /^Vault's answer for secret\/deckhand\/slack is not a KV version 2 secret \(no data\.data object\); is "secret" a KV version 2 mount\?$/,
    );
    fake.override = { status: 200, body: JSON.stringify({ data: { keys: ['a'] } }) };
    assert.match((await problems(one))[0]?.message ?? '', /is not a KV version 2 secret/);
    fake.override = {
      status: 503,
      body: JSON.stringify({ errors: [`Vault is sealed (asked with ${token})`] }),
    };
    assert.equal(
      (await problems(one))[0]?.message,
      'Vault answered HTTP 503 when reading secret/deckhand/slack: Vault is sealed (asked with [redacted])',
    );
  });

  it('says which variable to set when VAULT_ADDR or VAULT_TOKEN is missing, before any request', async () => {
    const [noAddr] = await problems(slackFromVault, { VAULT_TOKEN: token });
    assert.equal(noAddr?.path, 'slack.botToken');
    assert.equal(noAddr?.line, 2);
    assert.match(noAddr?.message ?? '', /^VAULT_ADDR is not set; set it to the Vault server address/);
    const [noToken] = await problems(slackFromVault, { VAULT_ADDR: fake.url });
    assert.match(noToken?.message ?? '', /^VAULT_TOKEN is not set; deckhand needs a Vault token/);
    const [badAddr] = await problems(slackFromVault, { VAULT_ADDR: 'vault:8200', VAULT_TOKEN: token });
    assert.equal(badAddr?.message, 'VAULT_ADDR "vault:8200" is not an http:// or https:// address');
    assert.equal(fake.calls.length, 0);
  });

  it('explains a malformed reference, and a reference given to the synchronous parser', async () => {
    const found = await problems(
      `slack:\n  botToken: \${vault:secret#bot_token}\n  appToken: \${vault:secret/deckhand/slack}\n${base}`,
    );
    assert.deepEqual(
      found.map((p) => [p.path, p.line]),
      [
        ['slack.botToken', 2],
        ['slack.appToken', 3],
      ],
    );
    assert.match(
      found[0]?.message ?? '',
      /is not a Vault reference; write \$\{vault:<mount>\/<path>#<key>\}/,
    );
    assert.equal(fake.calls.length, 0);

    assert.throws(
      () => parseConfig(slackFromVault, '/srv/deckhand/deckhand.yaml', { VAULT_ADDR: fake.url }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems[0]?.path === 'slack.botToken' &&
        error.problems[0]?.line === 2 &&
        /fetched by loadConfig, not by the synchronous parseConfig/.test(error.problems[0]?.message),
    );
  });
});

describe(`deckhand check-config with $\{vault:…} references`, () => {
  const bin = path.resolve('bin/deckhand.js');
  const run = promisify(execFile);

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'deckhand-vault-cli-'));
    fake = await startVaultFake({
      tokens: [token],
      mounts: { secret: { 'deckhand/slack': [{ bot_token: botToken, signing_secret: signingSecret }] } },
    });
  });
  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('validates the file with values from Vault and never prints them', async () => {
    const file = write(slackFromVault);
    // Asynchronous on purpose: the fake Vault answers from this process while the CLI runs.
    const { stdout, stderr } = await run(process.execPath, [bin, 'check-config', file], {
      encoding: 'utf8',
      env: { ...process.env, VAULT_ADDR: fake.url, VAULT_TOKEN: token },
    });
    assert.match(stdout, /is valid: 0 people, 1 pipelines/);
    assert.equal(fake.calls.length, 1);
    for (const secret of [botToken, signingSecret, token]) {
      assert.ok(!stdout.includes(secret) && !stderr.includes(secret), `${secret} was printed`);
    }
  });

  it('exits 2 with the path and line when Vault refuses, without the token', async () => {
    const file = write(slackFromVault);
    const wrong = 'hvs.not-the-right-one-42';
    const failed = await run(process.execPath, [bin, 'check-config', '--config', file], {
      encoding: 'utf8',
      env: { ...process.env, VAULT_ADDR: fake.url, VAULT_TOKEN: wrong },
    }).then(
      () => assert.fail('check-config should fail'),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    assert.equal(failed.code, 2);
    assert.match(
      failed.stderr,
      /has 2 problems:\n {2}\S+deckhand\.yaml:2:3: slack\.botToken: Vault denied reading secret\/deckhand\/slack \(HTTP 403\)/,
    );
    assert.ok(!`${failed.stdout}${failed.stderr}`.includes(wrong), 'the token was printed');
  });
});
