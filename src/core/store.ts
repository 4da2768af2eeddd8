/** Records the core keeps, and the narrow storage interfaces it needs. `store/` implements them. */
import type { DeferredAnswerStore, OutboxStore } from './outbox-ports.ts';
import type { TranscriptStore } from './transcript.ts';
import type { AuditEntry, AuditLogReader, UsageStatsReader } from './types/audit-log.ts';
import type { Lease } from './types/lease.ts';

export type { TranscriptAuthor, TranscriptMessage, TranscriptQuery, TranscriptStore } from './transcript.ts';
export type { AuditEntry } from './types/audit-log.ts';
export type { Lease } from './types/lease.ts';

import type { RunKind, RunStatus, StepInfo, TestSummary } from './pipeline-events.ts';

/** A button click recorded on a run. */
export interface RunAction {
  verb: 'cancel' | 'rerun';
  /** Person id. */
  by: string;
  at: Date;
  /** e.g. the new run's id for a rerun. */
  note?: string;
}

export interface RunRecord {
  id: number;
  kind: RunKind;
  pipeline: string;
  provider: string;
  /** The CI system's id for the run, once known. */
  externalId?: string;
  /** Where to watch it on the CI system. */
  url?: string;
  ref: string;
  environment?: string;
  version?: string;
  suite?: string;
  params: Record<string, string>;
  status: RunStatus;
  reason?: string;
  commit?: { sha: string; message: string; author?: string; authorEmail?: string };
  requestedBy: string;
  source: { platform: string; channel: string };
  steps: StepInfo[];
  tests?: TestSummary;
  actions: RunAction[];
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  durationMs?: number;
  /** What started it (an intake record, a held request): starting it again finds this run. */
  origin?: string;
}

export type NewRun = Omit<RunRecord, 'id' | 'status' | 'steps' | 'actions' | 'createdAt'>;

export interface RunStore {
  /** Records a run; with an `origin` already recorded, returns that run instead (`created` false). */
  create(run: NewRun, at: Date): Promise<RunRecord & { created?: boolean }>;
  get(id: number): Promise<RunRecord | undefined>;
  save(run: RunRecord): Promise<void>;
  recent(limit: number): Promise<RunRecord[]>;
  /** Runs not yet finished, oldest first. */
  unfinished(): Promise<RunRecord[]>;
  /** The run a CI system knows by `externalId`. */
  byExternalId(provider: string, externalId: string): Promise<RunRecord | undefined>;
  /** Runs deckhand triggered whose CI id is not known yet, oldest first. */
  awaitingExternalId(provider: string, pipeline: string, since: Date): Promise<RunRecord[]>;
}

export interface DeploymentRecord {
  id: number;
  environment: string;
  version: string;
  commitSha?: string;
  runId: number;
  kind: 'deploy' | 'rollback';
  restoresId?: number;
  requestedBy: string;
  result: 'pending' | 'succeeded' | 'failed' | 'cancelled';
  createdAt: Date;
  finishedAt?: Date;
}

export interface DeploymentStore {
  create(
    d: Omit<DeploymentRecord, 'id' | 'result' | 'createdAt' | 'finishedAt'>,
    at: Date,
  ): Promise<DeploymentRecord>;
  finish(
    runId: number,
    result: DeploymentRecord['result'],
    commitSha: string | undefined,
    at: Date,
  ): Promise<void>;
  /** Newest first. */
  history(environment: string, limit: number): Promise<DeploymentRecord[]>;
  /** The newest successful deployment: what is live. */
  current(environment: string): Promise<DeploymentRecord | undefined>;
}

/** The audit chain's head, as anchored outside the database (a line of the checkpoint file). */
export interface Checkpoint {
  /** Entries in the log then. */
  count: number;
  lastId: number;
  /** The newest entry's hash: a MAC under the audit key when `keyed`. */
  head: string;
  keyed: boolean;
  /** When it was taken (ISO 8601). */
  at: string;
}

/**
 * What walking the audit chain found: intact (with what this check could not prove, in words), or
 * the first entry that breaks it and how.
 */
export type ChainResult =
  | { ok: true; entries: number; caveats: string[] }
  | { ok: false; entries: number; id: number; problem: string };

/** One audit row as stored, with its chain hashes: column name → value (for export). */
export type AuditRow = Record<string, string | number | null>;

export interface AppendOptions {
  covered?: boolean;
  once?: { source: string; key: string };
}

export interface AuditStore {
  /**
   * Appends an entry, on disk before it resolves, and returns its id. With `covered`, a durable
   * intake record stands for it (written in the same commit as the record's removal): it is
   * committed without a sync of its own, and a power loss replays the record rather than losing the
   * entry. With `once`, the request's deduplication key is claimed in the same transaction, and a
   * key claimed before means nothing is written (and undefined is returned).
   */
  append(entry: Omit<AuditEntry, 'id'>, options?: AppendOptions): Promise<number | undefined>;
  /** Newest first. */
  recent(limit: number): Promise<AuditEntry[]>;
  /** Rows as stored, oldest first, with their hashes, so the chain can be checked elsewhere. */
  exportRows(since?: Date): Promise<AuditRow[]>;
  /** The columns `exportRows` gives, in order. */
  readonly exportColumns: readonly string[];
  /** Walks the whole chain, and checks it against a checkpoint taken earlier when given one. */
  verify(checkpoint?: Checkpoint): Promise<ChainResult>;
  /** The chain's head now, to anchor (undefined while the log is empty). */
  head(): Promise<Omit<Checkpoint, 'at'> | undefined>;
}

export type {
  DeferredAnswer,
  DeferredAnswerStore,
  NewOutboxItem,
  OutboxItem,
  OutboxStore,
  ReplyTo,
} from './outbox-ports.ts';

/** Remembers ids of inbound deliveries (webhook retries, Slack event retries) to ignore repeats. */
export interface DedupeStore {
  /** True the first time `key` is seen for `source`; false for a repeat. */
  claim(source: string, key: string, at: Date): Promise<boolean>;
  /** Which of `keys` were claimed before for `source` (a read: nothing is claimed). */
  known(source: string, keys: readonly string[]): Promise<Set<string>>;
  /** Forgets keys older than `before`. */
  prune(before: Date): Promise<number>;
}

/** A deploy lock on an environment. */
export interface Lock {
  environment: string;
  owner: string;
  reason?: string;
  createdAt: Date;
  expiresAt?: Date;
}

export interface LockStore {
  /** The lock on an environment, unless none or expired. */
  get(environment: string, now: Date): Promise<Lock | undefined>;
  /** Sets the lock; false when someone else holds an unexpired one. */
  acquire(lock: Lock, now: Date): Promise<boolean>;
  release(environment: string): Promise<boolean>;
  /** Unexpired locks. */
  list(now: Date): Promise<Lock[]>;
}

/** Who must approve: `count` distinct people holding one of `roles`. */
export interface ApprovalRule {
  roles: string[];
  count: number;
  /** What asks for it, e.g. `environment production` or `break-glass weekend`. */
  label: string;
}

/** What an approval request shows of the change it would make. */
export interface Preview {
  /** The version live now. */
  current?: string;
  /** `abc1234 Fix login (Alice)`, newest first. */
  commits: string[];
  /** Commits in the range in all; undefined when the provider cannot compare. */
  total?: number;
  /** A compare / diff page. */
  url?: string;
  /** The version it would make live, where the command does not say (a rollback's, a promote's). */
  to?: string;
}

/** One approval given. */
export interface Vote {
  by: string;
  at: Date;
  /** The approver's roles when they approved. */
  roles: string[];
}

/** A command held until its requester confirms it and its approvers approve it. */
export interface GateRequest {
  id: number;
  /** Short code for `/ci confirm <code>`, `/ci approve <code>`, `/ci reject <code> <reason>`. */
  code: string;
  stage: 'confirm' | 'approval';
  status: 'pending' | 'approved' | 'rejected' | 'expired' | 'cancelled' | 'failed' | 'started';
  /** The command family's root word. */
  family: string;
  command: string;
  /** What cards call it ("deploy `v1.2` to `production`"). */
  subject?: string;
  args: Record<string, string | undefined>;
  text: string;
  /** Person id. */
  requester: string;
  platform: string;
  userId: string;
  channel: string;
  threadId?: string;
  /** Roles the platform granted the requester (e.g. user groups), kept for re-checks. */
  extraRoles: string[];
  /** The environment the command changes. */
  environment?: string;
  rules: ApprovalRule[];
  votes: Vote[];
  /** `freeze` is empty when only the order (deployments.after) was broken; `order` says how. */
  breakGlass?: { freeze: string; reason: string; order?: string };
  /** What approvers see of the change. */
  preview?: Preview;
  /** Who rejected or cancelled, and why. */
  decidedBy?: string;
  reason?: string;
  runId?: number;
  createdAt: Date;
  expiresAt: Date;
  /** The intake record that held it: holding it again finds this request. */
  origin?: string;
}

export type NewGateRequest = Omit<GateRequest, 'id' | 'code' | 'status' | 'votes' | 'createdAt'>;

/** What recording an approval did. */
export type VoteResult =
  | { outcome: 'recorded' | 'approved'; request: GateRequest }
  | { outcome: 'duplicate' | 'closed' | 'expired'; request: GateRequest };

export interface GateStore {
  create(request: NewGateRequest, at: Date): Promise<GateRequest>;
  get(id: number): Promise<GateRequest | undefined>;
  byCode(code: string): Promise<GateRequest | undefined>;
  /**
   * Moves a pending, unexpired request of `stage` on, atomically: exactly one caller gets true
   * (a double click or two approvers at once cannot both pass).
   */
  advance(
    id: number,
    stage: GateRequest['stage'],
    now: Date,
    to: Partial<Pick<GateRequest, 'stage' | 'status' | 'expiresAt' | 'decidedBy' | 'reason' | 'preview'>>,
  ): Promise<boolean>;
  /** Records an approval in one transaction; flips the request to approved when `complete` says so. */
  vote(id: number, vote: Vote, now: Date, complete: (votes: Vote[]) => boolean): Promise<VoteResult>;
  /** Sets the outcome after approval (the run started, or why it could not). */
  finish(id: number, status: 'started' | 'failed', runId?: number, reason?: string): Promise<void>;
  /** Flips pending requests whose time is up to expired and returns them. */
  expire(now: Date): Promise<GateRequest[]>;
  /** Approved requests whose run never started (a restart came between). */
  stranded(): Promise<GateRequest[]>;
  /** The requests that started these runs. */
  forRuns?(runIds: readonly number[]): Promise<GateRequest[]>;
}

/** One thing taken in: whose handler reads it, which records it must follow, and its JSON data. */
export interface IntakeEntry {
  source: string;
  key: string;
  data: unknown;
}

/** A record as a worker claimed it. */
export interface IntakeRecord {
  id: number;
  entry: IntakeEntry;
  /** How often it was claimed, this time included: more than 1 is a replay. */
  attempts: number;
}

/**
 * Everything deckhand acknowledged and has not finished handling. Several processes may share it:
 * records are claimed with leases, a lease that runs out lets another process take the record.
 */
export interface IntakeStore {
  /**
   * Writes an entry durably; resolves with its id once it is on disk. With `once`, the entry is
   * written only if that dedupe key is new (claimed in the same transaction), else resolves
   * undefined. With `lease`, it is written already claimed (handled at once by its writer).
   */
  append(
    entry: IntakeEntry,
    at: Date,
    options?: { once?: { source: string; key: string }; lease?: Lease },
  ): Promise<number | undefined>;
  /**
   * Claims up to `limit` records nobody holds, oldest first, each key's in order: none is taken
   * while an older one of its key is held or waits for a retry.
   */
  claim(lease: Lease, limit: number, now: Date): Promise<IntakeRecord[]>;
  /** Extends the lease of records still being handled. */
  renew(lease: Lease, ids: number[]): Promise<void>;
  /** Removes handled (or dropped) records, in the commit of the covered writes of this turn. */
  done(ids: number[]): Promise<void>;
  /** Lets a record that failed go, to be claimed again from `retryAt`. */
  retry(id: number, retryAt: Date): Promise<void>;
  /** Records not yet handled. */
  count(): Promise<number>;
}

export interface Stores {
  runs: RunStore;
  deployments: DeploymentStore;
  audit: AuditStore;
  outbox: OutboxStore;
  dedupe: DedupeStore;
  locks: LockStore;
  gateRequests: GateStore;
  intake: IntakeStore;
  /** Read-only views for `/ci audit` and `/ci stats`. */
  auditLog: AuditLogReader;
  usageStats: UsageStatsReader;
  transcript: TranscriptStore;
  conversations: import('./conversations.ts').ConversationStore;
  deferredAnswers: DeferredAnswerStore;
  /** `/ops` runbook executions and their steps. */
  runbookRuns: import('./runbooks/store-port.ts').RunbookStore;
  incidentStore: import('./incidents/types.ts').IncidentStore;
}
