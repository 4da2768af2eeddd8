/** What commands may refer to: pipelines, branches, environments, suites. Built from config. */
import type { Config } from '../config/schema.ts';
import { UserError } from './errors.ts';
import type { CiProvider } from './ports.ts';

export type PipelineCommand = 'build' | 'test' | 'deploy' | 'rollback';

export interface EnvironmentInfo {
  name: string;
  order: number;
  protected: boolean;
}

export class Catalog {
  readonly environments: EnvironmentInfo[];
  readonly suites: string[];
  readonly defaultSuite: string | undefined;

  constructor(
    private readonly config: Pick<Config, 'commands' | 'pipelines' | 'repositories' | 'environments'>,
    private readonly providers: ReadonlyMap<string, CiProvider>,
  ) {
    this.environments = [...config.environments].sort((a, b) => a.order - b.order);
    this.suites = config.commands.test?.suites ?? [];
    this.defaultSuite = config.commands.test?.defaultSuite ?? this.suites[0];
  }

  /** The pipeline a command runs; a clear error when the command is not set up. */
  pipelineFor(command: PipelineCommand): string {
    const pipeline = this.config.commands[command]?.pipeline;
    if (!pipeline) {
      throw new UserError(
        `\`/ci ${command}\` is not set up here: add \`commands.${command}.pipeline\` to deckhand.yaml.`,
      );
    }
    return pipeline;
  }

  /** The command that runs a pipeline (the first, when several share it). */
  commandFor(pipeline: string): PipelineCommand | undefined {
    const names: PipelineCommand[] = ['build', 'test', 'deploy', 'rollback'];
    return names.find((c) => this.config.commands[c]?.pipeline === pipeline);
  }

  provider(pipeline: string): CiProvider | undefined {
    const name = this.config.pipelines[pipeline]?.provider;
    return name ? this.providers.get(name) : undefined;
  }

  defaultBranch(pipeline: string): string {
    const repo = this.config.pipelines[pipeline]?.repository;
    return (repo && this.config.repositories[repo]?.defaultBranch) || 'main';
  }

  async branches(pipeline: string): Promise<string[]> {
    const provider = this.provider(pipeline);
    if (!provider) return [];
    return provider.listBranches(pipeline);
  }

  /** Throws "Branch 'x' not found. Available branches: …" unless the branch exists. */
  async ensureBranch(pipeline: string, branch: string): Promise<void> {
    const branches = await this.branches(pipeline);
    if (branches.includes(branch)) return;
    const shown = branches.slice(0, 15).join(', ') + (branches.length > 15 ? ', …' : '');
    throw new UserError(`Branch '${branch}' not found. Available branches: ${shown || '(none)'}.`);
  }

  /** Throws unless the version (tag, branch or commit) exists. */
  async ensureVersion(pipeline: string, version: string): Promise<void> {
    const provider = this.provider(pipeline);
    if (!provider?.hasRef || (await provider.hasRef(pipeline, version))) return;
    throw new UserError(
      `Version '${version}' not found: no tag, branch or commit of that name in the repository.`,
    );
  }

  environment(name: string): EnvironmentInfo | undefined {
    return this.environments.find((e) => e.name === name);
  }
}
