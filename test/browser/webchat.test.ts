/** The web chat in a real browser (Debian's chromium) against a real deckhand on the demo config. */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { createDeckhand, type Deckhand } from '../../src/server/deckhand.ts';
import { loadConfig } from '../helpers/config.ts';

const CHROMIUM = '/usr/bin/chromium';
const here = path.dirname(fileURLToPath(import.meta.url));
const DEMO_CONFIG = path.join(here, '../../examples/demo/deckhand.yaml');
/** Screenshots for a human to look at; the folder is not committed. */
const ARTIFACTS = path.join(here, '.artifacts');
/** How long a run may take to reach the page (the demo pipelines take a few seconds). */
const RUN_TIMEOUT = 30_000;

// Locally a missing browser skips the suite; on CI it must fail loudly instead.
const skip =
  !existsSync(CHROMIUM) && !process.env.CI
    ? 'Debian chromium is not installed (apt-get install chromium); CI installs it'
    : false;

describe('web chat in a browser', { skip }, () => {
  let dir: string;
  let deckhand: Deckhand;
  let url: string;
  let browser: Browser;
  let context: BrowserContext;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'deckhand-browser-'));
    const file = path.join(dir, 'deckhand.yaml');
    copyFileSync(DEMO_CONFIG, file);
    const config = await loadConfig(file, {});
    deckhand = await createDeckhand({ config, logger: pino({ level: 'silent' }) });
    url = await deckhand.listen(0, '127.0.0.1');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await deckhand?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Opens the page as `user`, in `channel`. */
  async function open(user: string, channel: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(url);
    await page.getByTestId('user-picker').selectOption(user);
    await openChannel(page, channel);
    return page;
  }

  async function openChannel(page: Page, channel: string) {
    await page.getByTestId(`channel-${channel}`).click();
    await page
      .getByTestId('channel-name')
      .filter({ hasText: `# ${channel}` })
      .waitFor();
  }

  /** Types a message and presses Enter; resolves once the page has posted it. */
  async function send(page: Page, text: string) {
    const input = page.getByTestId('message-input');
    await input.fill(text);
    await input.press('Enter');
    await page.getByTestId('messages').getByTestId('message').filter({ hasText: text }).first().waitFor();
  }

  /** The channel's messages (not the thread's) containing all of `texts`. */
  function channelMessage(page: Page, ...texts: (string | RegExp)[]): Locator {
    let messages = page.getByTestId('messages').getByTestId('message');
    for (const text of texts) messages = messages.filter({ hasText: text });
    return messages;
  }

  /** The value shown next to a card field's label, e.g. `Branch`. */
  function field(message: Locator, label: string): Locator {
    return message
      .locator('.field')
      .filter({ has: message.page().locator('dt', { hasText: label }) })
      .locator('dd');
  }

  test('a build started in #general is reported in #ci-builds with its steps', async () => {
    const page = await open('alice', 'general');
    await send(page, '/ci build main');

    // The reply to Alice is posted at once and updated in place when the run ends.
    const reply = channelMessage(page, 'Build of', 'triggered by');
    await reply.filter({ hasText: 'succeeded' }).waitFor({ timeout: RUN_TIMEOUT });
    await page.screenshot({ path: path.join(ARTIFACTS, 'webchat-general.png') });

    await openChannel(page, 'ci-builds');
    const run = channelMessage(page, 'Build #1 succeeded').first();
    await run.waitFor({ timeout: RUN_TIMEOUT });
    if ((await field(run, 'Branch').textContent()) !== 'main') throw new Error('expected Branch: main');

    await run.getByTestId('thread-link').filter({ hasText: /repl/ }).click();
    const thread = page.getByTestId('thread-panel');
    await thread.waitFor();
    for (const step of ['Step 1: install succeeded', 'Step 2: compile succeeded']) {
      await thread.getByTestId('message').filter({ hasText: step }).waitFor({ timeout: RUN_TIMEOUT });
    }
    await page.screenshot({ path: path.join(ARTIFACTS, 'webchat.png') });
    await thread.screenshot({ path: path.join(ARTIFACTS, 'webchat-thread.png') });
    await page.close();
  });

  test('a failed test run shows the failing test and can be run again', async () => {
    const page = await open('alice', 'general');
    await send(page, '/ci test integration --branch develop');

    await openChannel(page, 'tests');
    const failed = channelMessage(page, /Test #\d+ \(integration\) failed/, 'Branch');
    await failed.first().waitFor({ timeout: RUN_TIMEOUT });
    await failed.first().filter({ hasText: 'checkout flow' }).waitFor();
    const rerun = failed.first().locator('[data-testid^=action-rerun]');
    await rerun.waitFor();
    await rerun.click();

    // The failed step's thread reply carries the log tail.
    await failed.first().getByTestId('thread-link').click();
    const thread = page.getByTestId('thread-panel');
    await thread.getByTestId('message').filter({ hasText: 'Step 2: test failed (exit 1)' }).waitFor();
    // Shown as a code block, not as text between literal ``` fences.
    await thread.getByTestId('message').locator('pre', { hasText: 'FAIL  checkout flow' }).waitFor();
    await thread.screenshot({ path: path.join(ARTIFACTS, 'webchat-failed-thread.png') });
    await page.getByTestId('thread-close').click();

    // The second run gets its own message; wait for it to end so no run is left going at shutdown.
    const runs = channelMessage(page, /Test #\d+ \(integration\)/, 'Branch');
    await runs.nth(1).waitFor({ timeout: RUN_TIMEOUT });
    await failed.nth(1).waitFor({ timeout: RUN_TIMEOUT });
    // The list stays scrolled to the bottom as the new run's message grows with its results.
    await page.waitForFunction(
      () => {
        const list = document.querySelector('[data-testid=messages]') as HTMLElement;
        return list.scrollHeight - list.scrollTop - list.clientHeight < 2;
      },
      undefined,
      { timeout: 5_000 },
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'webchat-tests.png') });
    await page.close();
  });

  /** "deploy `v1.1.0` to `production`", matched whether the page shows the backticks or code spans. */
  const deploying = (version: string) =>
    new RegExp(`deploy \`?${version.replaceAll('.', '\\.')}\`? to \`?production\`?`);

  /** `user` asks for a production deploy in #general and confirms it; returns the page, still as `user`. */
  async function requestProduction(user: string, version: string): Promise<Page> {
    const page = await open(user, 'general');
    await send(page, `/ci deploy production ${version}`);
    const prompt = channelMessage(page, 'Confirm:', deploying(version));
    await prompt.waitFor({ timeout: 10_000 });
    await prompt.getByRole('button', { name: 'Confirm' }).click();
    // The prompt is updated in place: it now waits for a release manager in #approvals.
    await channelMessage(page, 'Waiting for approval:', deploying(version), '#approvals').waitFor({
      timeout: 10_000,
    });
    return page;
  }

  test('a production deploy is confirmed by its requester and approved by another release manager', async () => {
    const page = await requestProduction('bob', 'v1.1.0');

    // The same person switches to Dave in the user picker and approves in #approvals.
    await page.getByTestId('user-picker').selectOption('dave');
    await openChannel(page, 'approvals');
    const card = channelMessage(page, deploying('v1.1.0')).first();
    await card.filter({ hasText: 'Approval needed' }).waitFor({ timeout: 10_000 });
    if ((await field(card, 'Requested by').textContent()) !== '@Bob')
      throw new Error('expected Requested by: @Bob');
    await card.filter({ hasText: '@Bob cannot approve their own request.' }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'webchat-approval-needed.png') });
    await card.getByRole('button', { name: 'Approve' }).click();

    // The card is updated in place: approved, by whom, and without its buttons.
    await card.filter({ hasText: 'Approved by @Dave' }).waitFor({ timeout: 10_000 });
    await card.getByRole('button', { name: 'Approve' }).waitFor({ state: 'detached' });
    await page.screenshot({ path: path.join(ARTIFACTS, 'webchat-approved.png') });

    // Wait for the deployment to end so no run is left going at shutdown.
    await openChannel(page, 'deployments');
    await channelMessage(page, /Deploy #\d+ to production succeeded/).waitFor({ timeout: RUN_TIMEOUT });
    await page.close();
  });

  test('Reject asks the approver for a reason in a dialog and shows it on the card', async () => {
    const page = await requestProduction('dave', 'v1.2.0');
    await page.getByTestId('user-picker').selectOption('bob');
    await openChannel(page, 'approvals');
    const card = channelMessage(page, deploying('v1.2.0')).first();
    await card.filter({ hasText: 'Approval needed' }).waitFor({ timeout: 10_000 });
    page.once('dialog', (dialog) => void dialog.accept('the release notes are not out yet'));
    await card.getByRole('button', { name: 'Reject' }).click();
    await card.filter({ hasText: 'Rejected by @Bob: the release notes are not out yet' }).waitFor({
      timeout: 10_000,
    });
    await card.getByRole('button', { name: 'Reject' }).waitFor({ state: 'detached' });
    await page.close();
  });

  test('a mistyped command is answered with a suggestion', async () => {
    const page = await open('alice', 'general');
    await send(page, '/ci biuld');
    // The page shows `/ci build` as <code>, so the text content has no backticks.
    await channelMessage(page, 'Did you mean /ci build?').waitFor({ timeout: 10_000 });
    await page.close();
  });
});
