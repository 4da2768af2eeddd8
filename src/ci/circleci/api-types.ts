/**
 * The parts of CircleCI API answers deckhand reads (https://circleci.com/docs/api/v2/).
 * Every field is optional where the API may leave it out; answers are open maps.
 */

/** `POST /project/{slug}/pipeline` → 201. */
export interface TriggeredPipeline {
  id: string;
  number: number;
  state?: string;
  created_at?: string;
}

/** `GET /pipeline/{id}`, and the items of `GET /project/{slug}/pipeline`. */
export interface Pipeline {
  id: string;
  number: number;
  project_slug?: string;
  /** `created`, `errored`, `setup-pending`, `setup`, `pending`. */
  state?: string;
  created_at?: string;
  errors?: { type?: string; message?: string }[];
  vcs?: {
    branch?: string;
    tag?: string;
    revision?: string;
    commit?: { subject?: string; body?: string };
  };
}

/** An item of `GET /pipeline/{id}/workflow`. */
export interface Workflow {
  id: string;
  name: string;
  /** success, running, not_run, failed, error, failing, on_hold, canceled, unauthorized. */
  status: string;
  created_at?: string;
  stopped_at?: string | null;
  pipeline_id?: string;
  pipeline_number?: number;
}

/** An item of `GET /workflow/{id}/job`. */
export interface WorkflowJob {
  id: string;
  name: string;
  /** `build` or `approval`. */
  type?: string;
  /**
   * success, running, not_run, failed, retried, queued, not_running, infrastructure_fail, timedout,
   * on_hold, terminated-unknown, blocked, canceled, unauthorized.
   */
  status: string;
  job_number?: number;
  started_at?: string | null;
  stopped_at?: string | null;
  /** Set on approval jobs; what `POST /workflow/{id}/approve/{approval_request_id}` takes. */
  approval_request_id?: string;
}

/** A page of a v2 list. */
export interface Page<T> {
  items: T[];
  next_page_token?: string | null;
}

/** `GET /api/v1.1/project/{vcs}/{org}/{repo}/{job}`: the one place a job's steps and output live. */
export interface V1Job {
  build_num?: number;
  build_url?: string;
  status?: string;
  subject?: string;
  vcs_revision?: string;
  author_name?: string;
  author_email?: string;
  steps?: {
    name?: string;
    actions?: {
      name?: string;
      status?: string;
      failed?: boolean | null;
      exit_code?: number | null;
      has_output?: boolean;
      /** A pre-signed URL of the action's output (JSON `[{message, time, type}]`); needs no token. */
      output_url?: string;
    }[];
  }[];
}
