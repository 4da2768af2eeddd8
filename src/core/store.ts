/** Records the core keeps, and the narrow storage interfaces it needs. `store/` implements them. */
import type { AuditLogReader } from './commands/audit.ts';
import type { UsageStatsReader } from './commands/stats.ts';
import type { Message } from './messages.ts';
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
}

export type NewRun = Omit<RunRecord, 'id' | 'status' | 'steps' | 'actions' | 'createdAt'>;

export interface RunStore {
  create(run: NewRun, at: Date): Promise<RunRecord>;
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

export interface AuditEntry {
  id: number;
  at: Date;
  /** `command`, `action`, `run.finished`… */
  kind: string;
  /** Person id, when known. */
  actor?: string;
  platform?: string;
  platformUser?: string;
  channel?: string;
  text?: string;
  command?: unknown;
  /** `allowed`, `denied:<rule>`, `rejected:<why>`, `recorded`. */
  decision: string;
  outcome?: string;
  runId?: number;
}

/** What walking the audit chain found: intact, or the first entry that breaks it and how. */
export type ChainResult =
  | { ok: true; entries: number }
  | { ok: false; entries: number; id: number; problem: string };

/** One audit row as stored, with its chain hashes: column name → value (for export). */
export type AuditRow = Record<string, string | number | null>;

export interface AuditStore {
  append(entry: Omit<AuditEntry, 'id'>): Promise<number>;
  /** Newest first. */
  recent(limit: number): Promise<AuditEntry[]>;
  /** Rows as stored, oldest first, with their hashes, so the chain can be checked elsewhere. */
  exportRows(since?: Date): Promise<AuditRow[]>;
  /** The columns `exportRows` gives, in order. */
  readonly exportColumns: readonly string[];
  /** Walks the whole chain. */
  verify(): Promise<ChainResult>;
}

/** An outgoing chat message waiting in the outbox. */
export interface OutboxItem {
  id: number;
  platform: string;
  channel: string;
  op: 'post' | 'update';
  key?: string;
  threadKey?: string;
  /** Platform id of a parent message, for replies into a thread the platform named. */
  threadId?: string;
  message: Message;
  attempts: number;
  nextAttemptAt: Date;
}

export type NewOutboxItem = Omit<OutboxItem, 'id' | 'attempts' | 'nextAttemptAt'>;

export interface OutboxStore {
  /** Queues items in one transaction; a pending update of the same message is folded into it. */
  enqueue(items: NewOutboxItem[], at: Date, inFlight: ReadonlySet<number>): Promise<void>;
  /** The oldest pending item of each channel, oldest first. */
  pending(limit: number): Promise<OutboxItem[]>;
  delivered(id: number, at: Date, ref?: { key: string; messageId: string }): Promise<void>;
  retry(id: number, at: Date, error: string): Promise<void>;
  failed(id: number, error: string): Promise<void>;
  /** The platform id of a message posted earlier under `key`. */
  ref(platform: string, channel: string, key: string): Promise<string | undefined>;
  counts(): Promise<{ pending: number; failed: number }>;
}

/** Remembers ids of inbound deliveries (webhook retries, Slack event retries) to ignore repeats. */
export interface DedupeStore {
  /** True the first time `key` is seen for `source`; false for a repeat. */
  claim(source: string, key: string, at: Date): Promise<boolean>;
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
  breakGlass?: { freeze: string; reason: string };
  /** What approvers see of the change. */
  preview?: Preview;
  /** Who rejected or cancelled, and why. */
  decidedBy?: string;
  reason?: string;
  runId?: number;
  createdAt: Date;
  expiresAt: Date;
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
}

/** One thing taken in: whose handler reads it, which rows it must follow, and its JSON data. */
export interface JournalEntry {
  source: string;
  key: string;
  data: unknown;
}

/** What webhooks and polls took in and is not yet handled: a crash between the two loses none. */
export interface InboundUpdateStore {
  /**
   * Writes an entry durably; resolves with its journal id once it is on disk. With `once`, the
   * entry is written only if that dedupe key is new (claimed in the same transaction), else
   * resolves undefined.
   */
  append(entry: JournalEntry, at: Date, once?: { source: string; key: string }): Promise<number | undefined>;
  /** The oldest entries not yet handled. */
  pending(limit: number): Promise<{ id: number; entry: JournalEntry; attempts: number }[]>;
  /** Removes handled (or dropped) entries. */
  applied(ids: number[]): Promise<void>;
  /** Counts a failed attempt to handle it. */
  failed(id: number): Promise<void>;
}

/** Who wrote a kept chat message. */
export interface TranscriptAuthor {
  id: string;
  name: string;
  bot: boolean;
}

/** A chat message deckhand keeps itself, for a platform with no server of its own (the web chat). */
export interface TranscriptMessage {
  id: number;
  channel: string;
  /** Id of the top-level message this replies to. */
  threadId: string | null;
  author: TranscriptAuthor;
  /** JSON. */
  body: string;
  createdAt: string;
  updatedAt: string | null;
}

/** Which messages to list: a channel's top level, or one thread's replies. */
export interface TranscriptQuery {
  channel: string;
  /** Parent message id; lists that thread's replies instead of the top level. */
  thread?: string;
  /** Only messages with a larger id, oldest first. */
  after?: number;
  limit: number;
}

/** Messages kept for a chat platform deckhand serves itself. */
export interface TranscriptStore {
  insert(
    message: Omit<TranscriptMessage, 'id' | 'createdAt' | 'updatedAt'>,
    at: Date,
  ): Promise<TranscriptMessage>;
  /** Replaces the body; undefined when the id is unknown. */
  updateBody(id: number, body: string, at: Date): Promise<TranscriptMessage | undefined>;
  get(id: number): Promise<TranscriptMessage | undefined>;
  list(query: TranscriptQuery): Promise<TranscriptMessage[]>;
  /** Reply counts of the given top-level messages, keyed by their id as a string. */
  replyCounts(ids: number[]): Promise<Map<string, number>>;
  /** Every channel that holds at least one message, sorted. */
  channels(): Promise<string[]>;
}

export interface Stores {
  runs: RunStore;
  deployments: DeploymentStore;
  audit: AuditStore;
  outbox: OutboxStore;
  dedupe: DedupeStore;
  locks: LockStore;
  gateRequests: GateStore;
  inboundUpdates: InboundUpdateStore;
  /** Read-only views for `/ci audit` and `/ci stats`. */
  auditLog: AuditLogReader;
  usageStats: UsageStatsReader;
  transcript: TranscriptStore;
}
