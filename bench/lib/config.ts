/** The deckhand configurations the benchmarks run: Slack over HTTP, GitHub Actions, many channels. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSlackFake } from '../../test/fakes/slack-api.ts';

export const signingSecret = 'bench-signing-secret';
export const webhookSecret = 'bench-webhook-secret';
export const botToken = 'xoxb-bench';

const made: string[] = [];

/** A fresh folder for one benchmark's files (database, config, logs). */
export function tempDir(name: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `deckhand-bench-${name}-`));
  made.push(dir);
  return dir;
}

/** Removes the folders `tempDir` made (unless `BENCH_KEEP` is set, to look inside them). */
export function removeTempDirs(): void {
  if (process.env.BENCH_KEEP) return;
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface BenchConfigOptions {
  /** Notification channels `c01`… routed by branch `b01`…, one Slack channel `C01`… each. */
  channels?: number;
  /** Pipelines run on GitHub Actions (`org/app`, build.yml) instead of the local runner. */
  github?: boolean;
  /** The chat platform people and channels are on (default Slack). */
  platform?: string;
  /** The platform's address of a channel id (`C01`, `C-general`), where it differs. */
  channelId?: (channel: string) => string;
  /** The platform's id of a person (`U-alice`), where it differs. */
  userId?: (user: string) => string;
}

/** Slack channel ids of the routed channels. */
export const slackChannel = (i: number) => `C${String(i + 1).padStart(2, '0')}`;
/** The branch routed to channel `i`. */
export const branchFor = (i: number) => `b${String(i + 1).padStart(2, '0')}`;

/** The YAML text: Slack over HTTP, a developer and a viewer, builds and deploys, routed notifications. */
export function benchYaml(o: BenchConfigOptions = {}): string {
  const channels = Array.from({ length: o.channels ?? 0 }, (_, i) => i);
  const chat = o.platform ?? 'slack';
  const at = (channel: string) => JSON.stringify(o.channelId?.(channel) ?? channel);
  const who = (user: string) => JSON.stringify(o.userId?.(user) ?? user);
  const pipeline = (name: string, workflow: string) =>
    o.github
      ? `  ${name}: { provider: github, repository: app, github: { workflow: ${workflow}, inputs: { branch: branch } } }`
      : `  ${name}: { repository: app, steps: [{ name: compile, run: 'true' }] }`;
  return `
server: { port: 0 }
database: { dataDir: data }
repositories:
  app: { url: ${o.github ? 'https://github.example.com/org/app.git, github: org/app' : 'data/app-repo'} }
people:
  - { id: alice, name: Alice, roles: [developer], chat: { ${chat}: ${who('U-alice')} }, emails: [alice@example.com] }
  - { id: carol, name: Carol, roles: [viewer], chat: { ${chat}: ${who('U-carol')} } }
roles:
  developer:
    allow:
      - { commands: [build, test, status, locks, whoami, help] }
      - { commands: [deploy, rollback], environments: [staging] }
  viewer:
    allow:
      - { commands: [status, locks, whoami, help] }
channels:
  general: { ${chat}: ${at('C-general')} }
  ci-builds: { ${chat}: ${at('C-builds')} }
  deployments: { ${chat}: ${at('C-deploys')} }
${channels.map((i) => `  c${i + 1}: { ${chat}: ${at(slackChannel(i))} }`).join('\n')}
commands:
  build: { pipeline: build }
  deploy: { pipeline: deploy }
  rollback: { pipeline: deploy }
pipelines:
${pipeline('build', 'build.yml')}
${pipeline('deploy', 'deploy.yml')}
environments:
  - { name: staging, order: 1 }
  - { name: production, order: 2, protected: true }
notifications:
${
  channels.length
    ? channels.map((i) => `  - { kind: build, branch: [${branchFor(i)}], channels: [c${i + 1}] }`).join('\n')
    : '  - { kind: build, channels: [ci-builds] }'
}
  - { kind: [deploy, rollback], channels: [deployments] }
webchat: { enabled: false }
${chat}: ${chat === 'mattermost' ? "{ actionsUrl: 'https://deckhand.bench/mattermost/actions' }" : '{}'}
`;
}

/** Writes the config into `dir` and returns its path. */
export function writeBenchConfig(dir: string, o: BenchConfigOptions = {}): string {
  const file = path.join(dir, 'deckhand.yaml');
  writeFileSync(file, benchYaml(o));
  return file;
}

/** The environment deckhand reads its secrets from. */
export function benchEnv(urls: { slack: string; github?: string }): Record<string, string> {
  return {
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_BOT_TOKEN: botToken,
    SLACK_API_URL: urls.slack,
    ...(urls.github
      ? { GITHUB_API_URL: urls.github, GITHUB_TOKEN: 'ghp_bench', GITHUB_WEBHOOK_SECRET: webhookSecret }
      : {}),
  };
}

/** The Slack Web API fake, accepting the benchmarks' bot token. */
export function benchSlackFake(channels: string[], perChannelPerSecond?: number) {
  return startSlackFake({
    tokens: [botToken],
    channels,
    ...(perChannelPerSecond ? { rateLimit: { perChannelPerSecond } } : {}),
  });
}
