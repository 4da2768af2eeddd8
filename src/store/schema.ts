/** Table types for Kysely. Times are ISO-8601 UTC strings, so SQLite and PostgreSQL sort them alike. */
import type { Generated } from 'kysely';

export interface RunsTable {
  id: Generated<number>;
  kind: string;
  pipeline: string;
  provider: string;
  /** The CI system's id for the run. */
  external_id: string | null;
  external_url: string | null;
  ref: string;
  environment: string | null;
  version: string | null;
  suite: string | null;
  params: string;
  status: string;
  reason: string | null;
  commit_sha: string | null;
  commit_message: string | null;
  commit_author: string | null;
  commit_email: string | null;
  requested_by: string;
  source_platform: string;
  source_channel: string;
  /** JSON: StepInfo[] */
  steps: string;
  /** JSON: TestSummary | null */
  tests: string | null;
  /** JSON: RunAction[] */
  actions: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  /** The intake record that started it: a replay finds this run instead of starting another. */
  origin: string | null;
}

export interface DeploymentsTable {
  id: Generated<number>;
  environment: string;
  version: string;
  commit_sha: string | null;
  run_id: number;
  kind: string;
  /** For a rollback: the deployment it restored. */
  restores_id: number | null;
  requested_by: string;
  result: string;
  created_at: string;
  finished_at: string | null;
}

export interface MessageRefsTable {
  platform: string;
  channel: string;
  key: string;
  message_id: string;
  created_at: string;
}

export interface OutboxTable {
  id: Generated<number>;
  platform: string;
  channel: string;
  op: string;
  /** Logical key of the message this posts or updates, e.g. `run:12`. */
  key: string | null;
  /** Logical key of the parent when this is a thread reply. */
  thread_key: string | null;
  /** Platform id of the parent, when the reply goes into a thread the platform named. */
  thread_id: string | null;
  /** JSON: Message */
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
  /** Who is sending it, and until when; an owner whose lease ran out may have sent it. */
  lease_owner: string | null;
  lease_until: string | null;
  /** 1 when it may be on the platform already (looked up before it is posted again). */
  in_doubt: Generated<number>;
  /** When it was first claimed: nothing of it can be on the platform from before. */
  claimed_at: string | null;
  /** The intake record whose answer this is, when it is one. */
  origin: string | null;
  /** 1 when it is that command's whole answer (nothing updates it later). */
  origin_final: Generated<number>;
}

export interface DeferredAnswersTable {
  platform: string;
  /** The intake record the answer is owed for. */
  origin: string;
  channel: string;
  /** The platform's handle on the answer, encrypted by the platform (an interaction token). */
  sealed: string;
  expires_at: string;
  created_at: string;
}

export interface AuditTable {
  id: Generated<number>;
  at: string;
  kind: string;
  actor: string | null;
  platform: string | null;
  platform_user: string | null;
  channel: string | null;
  text: string | null;
  /** JSON: the parsed command, when there was one. */
  command: string | null;
  decision: string;
  outcome: string | null;
  run_id: number | null;
  /** Hash of the entry before; the first entry's is 64 zeros. */
  prev_hash: string;
  /** SHA-256, or HMAC-SHA-256 under the audit key (see `alg`), over prev_hash and this entry's contents. */
  hash: string;
  /** How `hash` was made: `sha256-v2` or `hmac-sha256-v2` (`sha256`, `hmac-sha256` before v2; audit-chain.ts). */
  alg: Generated<string>;
  /** The intake record of an entry written before commit cbc1f29 (0007 as first landed); null since. */
  origin: string | null;
}

export interface WebchatMessagesTable {
  id: Generated<number>;
  channel: string;
  thread_id: string | null;
  author_id: string;
  author_name: string;
  bot: number;
  /** JSON: the neutral Message for bot messages, `{text}` for people's. */
  body: string;
  created_at: string;
  updated_at: string | null;
  /** The key it was posted under: posting again under it finds this message. */
  client_key: string | null;
}

export interface InboundDedupeTable {
  /** e.g. `slack-event`, `github-delivery` */
  source: string;
  key: string;
  at: string;
}

export interface LocksTable {
  environment: string;
  /** Person id. */
  owner: string;
  reason: string | null;
  created_at: string;
  expires_at: string | null;
}

export interface GateRequestsTable {
  /** The command family's root word (`ci`). */
  family: Generated<string>;
  subject: string | null;
  id: Generated<number>;
  code: string;
  stage: string;
  status: string;
  command: string;
  /** JSON: the parsed arguments. */
  args: string;
  text: string;
  requester: string;
  platform: string;
  user_id: string;
  channel: string;
  thread_id: string | null;
  /** JSON: string[] */
  extra_roles: string;
  environment: string | null;
  /** JSON: ApprovalRule[] */
  rules: string;
  /** JSON: Vote[] */
  votes: string;
  /** JSON: { freeze, reason } */
  break_glass: string | null;
  /** JSON: Preview, what the approval card shows of the change. */
  preview: string | null;
  decided_by: string | null;
  reason: string | null;
  run_id: number | null;
  created_at: string;
  expires_at: string;
  /** The intake record that held the command: a replay finds this request. */
  origin: string | null;
}

export interface IntakeTable {
  id: Generated<number>;
  /** JSON, read by the source's handler ('update': an ExternalRunUpdate; 'command': a request). */
  payload: string;
  received_at: string;
  /** How often it was claimed. */
  attempts: Generated<number>;
  source: Generated<string>;
  /** Rows with one key are handled in order. */
  key: Generated<string>;
  /** Who handles it, and until when (null: nobody; an owner-less `lease_until`: a retry's time). */
  lease_owner: string | null;
  lease_until: string | null;
}

/** How a platform reaches a conversation (Teams: the service URL its activities came from). */
export interface ConversationRefsTable {
  platform: string;
  conversation: string;
  ref: string;
  updated_at: string;
}

export interface Database {
  runs: RunsTable;
  deployments: DeploymentsTable;
  message_refs: MessageRefsTable;
  outbox: OutboxTable;
  audit: AuditTable;
  inbound_dedupe: InboundDedupeTable;
  locks: LocksTable;
  gate_requests: GateRequestsTable;
  intake: IntakeTable;
  webchat_messages: WebchatMessagesTable;
  conversation_refs: ConversationRefsTable;
  deferred_answers: DeferredAnswersTable;
  runbook_runs: RunbookRunsTable;
  runbook_steps: RunbookStepsTable;
  incidents: IncidentsTable;
  incident_events: IncidentEventsTable;
}

/** `/ops` runbook executions (migration 0013). */
export interface RunbookRunsTable {
  id: Generated<number>;
  runbook: string;
  /** JSON object of the arguments. */
  args: string;
  requested_by: string;
  platform: string;
  channel: string;
  status: string;
  origin: string | null;
  created_at: string;
  finished_at: string | null;
}

/** Each check, step and undo a runbook execution ran, recorded before it starts. */
export interface RunbookStepsTable {
  run_id: number;
  seq: number;
  step_index: number;
  phase: string;
  name: string;
  status: string;
  summary: string | null;
  log: string;
  started_at: string;
  finished_at: string | null;
}

/** An incident; lists are JSON text. */
export interface IncidentsTable {
  id: Generated<number>;
  title: string;
  severity: number;
  status: string;
  group_key: string | null;
  source: string;
  alert_status: string | null;
  /** JSON: AlertInfo[] */
  alerts: string;
  /** JSON: { label, url }[] */
  links: string;
  /** JSON: string[] */
  environments: string;
  service: string | null;
  /** JSON: role → person id */
  roles: string;
  /** JSON: IncidentPlace[] */
  places: string;
  created_at: string;
  created_by: string;
  acked_at: string | null;
  acked_by: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  escalation_level: number;
  escalation_round: number;
  next_page_at: string | null;
}

/** One event on an incident's timeline. */
export interface IncidentEventsTable {
  id: Generated<number>;
  incident_id: number;
  at: string;
  kind: string;
  by: string;
  text: string;
}
