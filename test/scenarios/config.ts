/** The scenario's deckhand.yaml for one platform: the demo's roles, pipelines and gates, its people and channels on that platform. */
import { CHANNELS, PEOPLE, type Person, type PlatformUnderTest } from './platform.ts';

const roles: Record<Person, string> = {
  alice: 'developer',
  bob: 'release-manager',
  carol: 'viewer',
  dave: 'release-manager',
};

const names: Record<Person, string> = { alice: 'Alice', bob: 'Bob', carol: 'Carol', dave: 'Dave' };

type Under = Pick<PlatformUnderTest, 'name' | 'userId' | 'channelId' | 'yaml'>;

/** The config for one platform, or for several at once (each person and channel on all of them). */
export function scenarioYaml(under: Under | Under[]): string {
  const all = Array.isArray(under) ? under : [under];
  const on = (address: (p: Under) => string) =>
    all.map((p) => `${p.name}: ${JSON.stringify(address(p))}`).join(', ');
  const people = PEOPLE.map(
    (id) =>
      `  - { id: ${id}, name: ${names[id]}, roles: [${roles[id]}], chat: { ${on((p) => p.userId(id))} } }`,
  ).join('\n');
  const channels = CHANNELS.map((c) => `  ${c}: { ${on((p) => p.channelId(c))} }`).join('\n');
  return `
database: { dataDir: data }
repositories:
  app: { url: data/demo-repo, seedDemo: true }
people:
${people}
roles:
  developer:
    allow:
      - { commands: [build, test, status, locks, "oncall *", "incident *"] }
      - { commands: [deploy, rollback, lock, unlock], environments: [staging] }
  release-manager:
    allow:
      - { commands: "*" }
  viewer:
    allow:
      - { commands: [status, locks] }
channels:
${channels}
commands:
  build: { pipeline: build }
  test: { pipeline: test, suites: [unit, integration], defaultSuite: unit }
  deploy: { pipeline: deploy }
  rollback: { pipeline: deploy }
pipelines:
  build: { repository: app, steps: [{ name: install, run: ./scripts/install.sh }, { name: compile, run: ./scripts/build.sh }] }
  test: { repository: app, junit: [reports/*.xml], steps: [{ name: test, run: ./scripts/test.sh }] }
  deploy: { repository: app, steps: [{ name: release, run: ./scripts/deploy.sh }] }
environments:
  - { name: staging, order: 1 }
  - { name: production, order: 2, protected: true, approvals: { count: 1, roles: [release-manager] } }
approvals: { channel: approvals, expiry: 1h }
confirmations: { expiry: 5m }
notifications:
  - { kind: build, channels: [ci-builds] }
  - { kind: test, channels: [tests] }
  - { kind: [deploy, rollback], channels: [deployments] }
runbooks:
  restart:
    summary: Restart a service
    roles: [developer]
    args:
      - { name: service, values: [web-service, worker] }
      - { name: environment, values: [staging] }
    steps:
      - { name: restart, command: { argv: [node, -e, "console.log('restarted', process.argv[1])", "{{service}}"] } }
oncall:
  schedules:
    primary: { rotation: { people: [bob], length: 1w, start: 2020-01-06 } }
  escalation:
    default: { levels: [{ after: 1h, targets: [{ schedule: primary }] }] }
incidents: { channel: incidents, schedule: primary, escalation: default }
${all.some((p) => p.name === 'webchat') ? '' : 'webchat: { enabled: false }'}
${all.map((p) => p.yaml).join('\n')}
`;
}
