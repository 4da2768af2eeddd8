/** What a runbook's execution leaves in the database, so a restart never runs a step twice. */

export type ExecutionStatus = 'running' | 'succeeded' | 'failed' | 'interrupted';
/** A step's check, the step itself, or its undo. */
export type StepPhase = 'check' | 'step' | 'undo';
export type StepStatus = 'running' | 'succeeded' | 'failed' | 'interrupted';

/** One `/ops <runbook>` execution. */
export interface Execution {
  id: number;
  runbook: string;
  args: Record<string, string | undefined>;
  requestedBy: string;
  platform: string;
  channel: string;
  status: ExecutionStatus;
  createdAt: Date;
  finishedAt?: Date;
  /** What asked for it (an intake record, a held request): asking again finds the same execution. */
  origin?: string;
}

export type NewExecution = Omit<Execution, 'id' | 'status' | 'createdAt' | 'finishedAt'>;

/** One action run for an execution, in the order it ran. */
export interface ExecutionStep {
  /** 0, 1, 2… across checks, steps and undos. */
  seq: number;
  /** The runbook step it belongs to. */
  index: number;
  phase: StepPhase;
  name: string;
  status: StepStatus;
  startedAt: Date;
  finishedAt?: Date;
  /** One line: what happened (exit code, HTTP status, run number). */
  summary?: string;
  /** Its output, redacted and bounded. */
  log: string;
}

export interface RunbookStore {
  /** Records an execution; one with the same origin is returned instead (`created: false`). */
  create(execution: NewExecution, at: Date): Promise<Execution & { created: boolean }>;
  get(id: number): Promise<Execution | undefined>;
  steps(id: number): Promise<ExecutionStep[]>;
  /** Recorded before the action starts: a crash leaves it `running`, never to be run again. */
  stepStarted(
    id: number,
    step: Pick<ExecutionStep, 'seq' | 'index' | 'phase' | 'name'>,
    at: Date,
  ): Promise<void>;
  stepFinished(
    id: number,
    seq: number,
    result: Pick<ExecutionStep, 'status' | 'summary' | 'log'>,
    at: Date,
  ): Promise<void>;
  finish(id: number, status: ExecutionStatus, at: Date): Promise<void>;
  /** Executions still marked running (at start: ones a crash interrupted). */
  running(): Promise<Execution[]>;
}
