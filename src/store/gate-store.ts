/** Confirmations and approval requests in SQL; every state change is one conditional update. */
import { randomInt } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { GateRequest, GateStore, Vote } from '../core/store.ts';
import type { Db } from './db.ts';
import type { GateRequestsTable } from './schema.ts';

/** No 0/O, 1/I/L: codes are read aloud and typed. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function newCode(length = 6): string {
  let code = '';
  for (let i = 0; i < length; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

const toVotes = (json: string): Vote[] =>
  (JSON.parse(json) as (Vote & { at: string })[]).map((v) => ({ ...v, at: new Date(v.at) }));

const toRequest = (r: Selectable<GateRequestsTable>): GateRequest => ({
  id: r.id,
  code: r.code,
  stage: r.stage as GateRequest['stage'],
  status: r.status as GateRequest['status'],
  family: r.family,
  command: r.command,
  subject: r.subject ?? undefined,
  args: JSON.parse(r.args),
  text: r.text,
  requester: r.requester,
  platform: r.platform,
  userId: r.user_id,
  channel: r.channel,
  threadId: r.thread_id ?? undefined,
  extraRoles: JSON.parse(r.extra_roles),
  environment: r.environment ?? undefined,
  rules: JSON.parse(r.rules),
  votes: toVotes(r.votes),
  breakGlass: r.break_glass ? JSON.parse(r.break_glass) : undefined,
  preview: r.preview ? JSON.parse(r.preview) : undefined,
  decidedBy: r.decided_by ?? undefined,
  reason: r.reason ?? undefined,
  runId: r.run_id ?? undefined,
  createdAt: new Date(r.created_at),
  expiresAt: new Date(r.expires_at),
  origin: r.origin ?? undefined,
});

export function createGateStore(db: Db): GateStore {
  const get = async (id: number) => {
    const row = await db.selectFrom('gate_requests').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRequest(row) : undefined;
  };
  return {
    async create(request, at) {
      if (request.origin) {
        // Held before a crash by the same request: that request, not a second one.
        const earlier = await db
          .selectFrom('gate_requests')
          .selectAll()
          .where('origin', '=', request.origin)
          .executeTakeFirst();
        if (earlier) return toRequest(earlier);
      }
      const values = {
        stage: request.stage,
        status: 'pending',
        family: request.family,
        command: request.command,
        subject: request.subject ?? null,
        args: JSON.stringify(request.args),
        text: request.text,
        requester: request.requester,
        platform: request.platform,
        user_id: request.userId,
        channel: request.channel,
        thread_id: request.threadId ?? null,
        extra_roles: JSON.stringify(request.extraRoles),
        environment: request.environment ?? null,
        rules: JSON.stringify(request.rules),
        votes: '[]',
        break_glass: request.breakGlass ? JSON.stringify(request.breakGlass) : null,
        preview: request.preview ? JSON.stringify(request.preview) : null,
        decided_by: null,
        reason: null,
        run_id: null,
        created_at: at.toISOString(),
        expires_at: request.expiresAt.toISOString(),
        origin: request.origin ?? null,
      };
      // A code collision is rare (31^6); try again with another.
      for (let attempt = 0; ; attempt++) {
        const code = newCode();
        const taken = await db
          .selectFrom('gate_requests')
          .select('id')
          .where('code', '=', code)
          .executeTakeFirst();
        if (taken && attempt < 10) continue;
        const { id } = await db
          .insertInto('gate_requests')
          .values({ ...values, code })
          .returning('id')
          .executeTakeFirstOrThrow();
        return (await get(id)) as GateRequest;
      }
    },
    get,
    async byCode(code) {
      const row = await db
        .selectFrom('gate_requests')
        .selectAll()
        .where('code', '=', code.toUpperCase())
        .executeTakeFirst();
      return row ? toRequest(row) : undefined;
    },
    async advance(id, stage, now, to) {
      const result = await db
        .updateTable('gate_requests')
        .set({
          ...(to.stage ? { stage: to.stage } : {}),
          ...(to.status ? { status: to.status } : {}),
          ...(to.expiresAt ? { expires_at: to.expiresAt.toISOString() } : {}),
          ...(to.decidedBy ? { decided_by: to.decidedBy } : {}),
          ...(to.reason ? { reason: to.reason } : {}),
          ...(to.preview ? { preview: JSON.stringify(to.preview) } : {}),
        })
        .where('id', '=', id)
        .where('stage', '=', stage)
        .where('status', '=', 'pending')
        .where('expires_at', '>', now.toISOString())
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async vote(id, vote, now, complete) {
      return db.transaction().execute(async (tx) => {
        const row = await tx.selectFrom('gate_requests').selectAll().where('id', '=', id).executeTakeFirst();
        if (!row) throw new Error(`no gate request ${id}`);
        const request = toRequest(row);
        if (request.status !== 'pending' || request.stage !== 'approval')
          return { outcome: 'closed', request } as const;
        if (request.expiresAt <= now) return { outcome: 'expired', request } as const;
        if (request.votes.some((v) => v.by === vote.by)) return { outcome: 'duplicate', request } as const;
        const votes = [...request.votes, vote];
        const approved = complete(votes);
        await tx
          .updateTable('gate_requests')
          .set({ votes: JSON.stringify(votes), ...(approved ? { status: 'approved' } : {}) })
          .where('id', '=', id)
          .execute();
        const updated: GateRequest = { ...request, votes, status: approved ? 'approved' : request.status };
        return { outcome: approved ? 'approved' : 'recorded', request: updated } as const;
      });
    },
    async finish(id, status, runId, reason) {
      await db
        .updateTable('gate_requests')
        .set({ status, run_id: runId ?? null, ...(reason ? { reason } : {}) })
        .where('id', '=', id)
        .execute();
    },
    async expire(now) {
      const rows = await db
        .updateTable('gate_requests')
        .set({ status: 'expired' })
        .where('status', '=', 'pending')
        .where('expires_at', '<=', now.toISOString())
        .returningAll()
        .execute();
      return rows.map(toRequest);
    },
    async stranded() {
      const rows = await db
        .selectFrom('gate_requests')
        .selectAll()
        .where('status', '=', 'approved')
        .where('run_id', 'is', null)
        .execute();
      return rows.map(toRequest);
    },
    async forRuns(runIds) {
      if (runIds.length === 0) return [];
      const rows = await db
        .selectFrom('gate_requests')
        .selectAll()
        .where('run_id', 'in', [...runIds])
        .orderBy('id')
        .execute();
      return rows.map(toRequest);
    },
  };
}
