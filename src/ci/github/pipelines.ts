/** Which deckhand pipelines run on GitHub, where, and how chat values become workflow inputs. */
import type { LoadedConfig } from '../../config/load.ts';
import { UserError } from '../../core/errors.ts';
import { mapInputs } from '../inputs.ts';
import { githubPipelineOf, githubRepoOf } from './config.ts';

/** A repository on GitHub. */
export interface Repo {
  owner: string;
  repo: string;
  /** `owner/repo` as configured. */
  fullName: string;
  defaultBranch: string;
}

/** One deckhand pipeline that dispatches a GitHub Actions workflow. */
export interface GithubPipeline {
  name: string;
  repo: Repo;
  /** Workflow file name (`build.yml`) or numeric id. */
  workflow: string;
  inputs: Record<string, string>;
  /** Record deploys and rollbacks through the Deployments API. */
  deployments: boolean;
}

/** The github pipelines of a config, looked up by name or by what a webhook carries. */
export class GithubPipelines {
  readonly all: GithubPipeline[];

  constructor(config: LoadedConfig) {
    this.all = Object.entries(config.pipelines).flatMap(([name, p]) => {
      const repository = config.repositories[p.repository];
      const settings = githubPipelineOf(p);
      const fullName = githubRepoOf(repository);
      if (p.provider !== 'github' || !settings || !fullName || !repository) return [];
      const [owner = '', repo = ''] = fullName.split('/');
      const coordinates = {
        owner,
        repo,
        fullName,
        defaultBranch: repository.defaultBranch,
      };
      return [{ name, repo: coordinates, ...settings }];
    });
  }

  /** The pipeline by name; a UserError when it is not a GitHub pipeline. */
  get(name: string): GithubPipeline {
    const found = this.all.find((p) => p.name === name);
    if (!found) throw new UserError(`Pipeline \`${name}\` does not run on GitHub Actions.`);
    return found;
  }

  /** Every configured repository, without repeats (for runs whose pipeline is not known). */
  repos(): Repo[] {
    const seen = new Map<string, Repo>();
    for (const p of this.all) seen.set(p.repo.fullName.toLowerCase(), p.repo);
    return [...seen.values()];
  }

  /** Pipelines in one repository (GitHub compares `owner/repo` case-insensitively). */
  inRepo(fullName: string | undefined): GithubPipeline[] {
    const name = fullName?.toLowerCase();
    return name ? this.all.filter((p) => p.repo.fullName.toLowerCase() === name) : [];
  }

  /** The pipeline whose workflow is this file (`.github/workflows/build.yml`) or numeric id. */
  byWorkflow(fullName: string | undefined, workflow: { path?: string | null; id?: number | null }) {
    const file = workflow.path?.split('/').pop();
    return this.inRepo(fullName).find(
      (p) =>
        (file !== undefined && (p.workflow === file || p.workflow === workflow.path)) ||
        (workflow.id != null && p.workflow === String(workflow.id)),
    );
  }
}

/** The workflow inputs for a run: each configured input takes its deckhand value or a `=literal`. */
export const workflowInputs = mapInputs;
