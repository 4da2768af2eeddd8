/** Roles from Entra ID groups through Microsoft Graph: granted, cached, chunked, and none when Graph fails. */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { outboundToken } from '../../../src/chat/teams/auth.ts';
import { createGroupRoles, graphClient } from '../../../src/chat/teams/groups.ts';
import { type GraphFake, startGraphFake } from '../../fakes/graph-api.ts';
import { eventually } from '../../helpers/recording-sender.ts';
import { ALICE, APP, startTeamsDeckhand } from '../../helpers/teams-deckhand.ts';
import { MEGAN, personalMessage } from './fixtures.ts';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const DEPLOYERS = 'b2f0c1a4-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const PLATFORM = 'c3a1d2e4-6f70-4a8b-9c0d-1e2f3a4b5c6d';
const guid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('Entra group roles', () => {
  let graph: GraphFake;
  before(async () => {
    graph = await startGraphFake({
      tenant: TENANT,
      clientId: APP,
      clientSecret: 'pw',
      // Megan is in PLATFORM, which is nested in DEPLOYERS; guid(25) is the last of 25 groups.
      groups: { [DEPLOYERS]: [PLATFORM], [PLATFORM]: [MEGAN], [guid(25)]: [MEGAN] },
      users: [MEGAN, ALICE],
    });
  });
  after(() => graph.close());

  const roles = (o: { groups: Record<string, string[]>; now?: () => number; warnings?: string[] }) =>
    createGroupRoles({
      client: graphClient({
        graphUrl: graph.url,
        token: outboundToken({
          tokenUrl: graph.env.TEAMS_GRAPH_TOKEN_URL,
          appId: APP,
          appPassword: 'pw',
          scope: 'https://graph.microsoft.com/.default',
        }),
      }),
      groups: o.groups,
      ttlMs: 60_000,
      logger: { warn: (_o: object, m?: string) => o.warnings?.push(m ?? '') },
      ...(o.now ? { now: o.now } : {}),
    });

  it('grants the roles of the groups a person is in, also through a nested group, and caches them', async () => {
    let clock = 1_000_000;
    const r = roles({ groups: { [DEPLOYERS]: ['deployer'], [guid(1)]: ['viewer'] }, now: () => clock });
    const calls = graph.membershipCalls().length;
    assert.deepEqual(await r.rolesFor(MEGAN), ['deployer']);
    assert.deepEqual(await r.rolesFor(ALICE), []);
    assert.deepEqual(await r.rolesFor(MEGAN), ['deployer']);
    assert.equal(graph.membershipCalls().length - calls, 2, 'Megan asked once within the TTL');
    clock += 61_000;
    await r.rolesFor(MEGAN);
    assert.equal(graph.membershipCalls().length - calls, 3, 'asked again after the TTL');
  });

  it('asks about at most 20 groups a request', async () => {
    const groups = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [guid(i + 1), [`r${i + 1}`]]));
    const calls = graph.membershipCalls().length;
    assert.deepEqual(await roles({ groups }).rolesFor(MEGAN), ['r25']);
    const made = graph.membershipCalls().slice(calls);
    assert.deepEqual(
      made.map((c) => c.groupIds?.length),
      [20, 5],
    );
    assert.ok(made.every((c) => c.status === 200));
  });

  it('grants nothing when Graph throttles, waits its Retry-After, then asks again', async () => {
    let clock = 5_000_000;
    const warnings: string[] = [];
    const r = roles({ groups: { [DEPLOYERS]: ['deployer'] }, now: () => clock, warnings });
    graph.throttleNext(30);
    assert.deepEqual(await r.rolesFor(MEGAN), []);
    assert.match(warnings.join('\n'), /no group roles granted/);
    const calls = graph.membershipCalls().length;
    clock += 10_000;
    assert.deepEqual(await r.rolesFor(MEGAN), [], 'within Retry-After: not asked');
    assert.equal(graph.membershipCalls().length, calls);
    clock += 21_000;
    assert.deepEqual(await r.rolesFor(MEGAN), ['deployer']);
  });

  it('grants nothing during an outage, for an unknown person, or without Graph’s scope', async () => {
    const warnings: string[] = [];
    graph.outage(true);
    try {
      assert.deepEqual(await roles({ groups: { [DEPLOYERS]: ['deployer'] }, warnings }).rolesFor(MEGAN), []);
    } finally {
      graph.outage(false);
    }
    assert.deepEqual(await roles({ groups: { [DEPLOYERS]: ['deployer'] }, warnings }).rolesFor(guid(99)), []);
    const botScope = createGroupRoles({
      client: graphClient({
        graphUrl: graph.url,
        token: outboundToken({ tokenUrl: graph.env.TEAMS_GRAPH_TOKEN_URL, appId: APP, appPassword: 'pw' }),
      }),
      groups: { [DEPLOYERS]: ['deployer'] },
      ttlMs: 1,
      logger: { warn: (_o: object, m?: string) => warnings.push(m ?? '') },
    });
    assert.deepEqual(await botScope.rolesFor(MEGAN), []);
    assert.equal(warnings.length, 3);
  });
});

describe('Entra group roles in a running deckhand', () => {
  it('a group grants the role a command needs; with Graph down the same command is refused and logged', async () => {
    const graph = await startGraphFake({
      tenant: TENANT,
      clientId: APP,
      clientSecret: 'test-secret',
      groups: { [DEPLOYERS]: [MEGAN, ALICE] },
      users: [MEGAN, ALICE],
    });
    const lines: string[] = [];
    const logStream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const t = await startTeamsDeckhand({
      open: false,
      teams: `tenantId: "${TENANT}", groups: { "${DEPLOYERS}": [deployer] }, groupCacheTtl: 1m`,
      extraYaml: `roles:\n  deployer: { description: from Entra, allow: [{ commands: [build, status] }] }\n`,
      env: graph.env,
      logStream,
    });
    try {
      const runs = async () => (await t.deckhand.stores.runs.recent(50)).length;
      const from = (aadObjectId: string, id: string) => ({
        ...personalMessage,
        id,
        serviceUrl: t.fake.serviceUrl,
        from: { ...personalMessage.from, aadObjectId },
        conversation: { ...personalMessage.conversation, id: `a:${id}` },
        text: 'build main',
      });
      assert.equal((await t.send(from(MEGAN, 'm1'))).statusCode, 200);
      await t.deckhand.handled();
      assert.equal(await runs(), 1, 'Megan builds: the group gave her deployer');

      graph.outage(true);
      assert.equal((await t.send(from(ALICE, 'a1'))).statusCode, 200);
      await t.deckhand.handled();
      assert.equal(await runs(), 1, 'Alice is in the group too, but Graph is down: no extra role');
      await eventually(() => t.fake.activitiesIn('a:a1').length > 0, 'Alice is told', 20_000);
      await eventually(
        () => lines.some((l) => /Entra group membership/.test(l) && /503/.test(l)),
        'the Graph failure logged',
        5_000,
      );
      assert.ok(!lines.some((l) => l.includes('test-secret')), 'no secret in the log');
    } finally {
      await t.close();
      await graph.close();
    }
  });
});
