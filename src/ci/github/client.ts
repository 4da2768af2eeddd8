/**
 * The REST client: `@octokit/rest` authenticated with a token, or as a GitHub App installation
 * (JWT → installation token, https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/authenticating-as-a-github-app-installation).
 */
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import { ProviderError } from '../../core/errors.ts';
import type { CiSystemContext } from '../../modules/ci-system.ts';
import { type CallContext, type ConnectionNames, providerError } from './errors.ts';
import type { Repo } from './pipelines.ts';
import type { GithubSettings } from './settings.ts';
import { ExpiringTokenCache } from './token-cache.ts';

/** What the client needs: where and how to authenticate, a clock for token expiry, a logger. */
export interface GithubClientOptions {
  settings: GithubSettings;
  clock: CiSystemContext['clock'];
  logger: CiSystemContext['logger'];
  /** For tests; the global fetch otherwise. */
  fetch?: typeof fetch;
}

/** Hands out an authenticated Octokit per repository and turns every failure into a ProviderError. */
export class GithubClient {
  readonly names: ConnectionNames;
  private readonly installations = new Map<string, Promise<Octokit>>();
  private readonly cache: ExpiringTokenCache;
  private app?: Octokit;
  private tokenClient?: Octokit;

  constructor(private readonly o: GithubClientOptions) {
    const { auth, apiUrl, apiUrlName } = o.settings;
    const holder =
      auth.kind === 'app' ? 'the GitHub App' : auth.kind === 'token' ? auth.names : 'the credentials';
    this.names = { apiUrl, apiUrlName, credentials: auth.names, holder };
    this.cache = new ExpiringTokenCache(o.clock);
  }

  /** Runs `work` with a client for `repo`; failures become one sentence naming `call`. */
  async call<T>(repo: Repo, call: CallContext, work: (octokit: Octokit) => Promise<T>): Promise<T> {
    try {
      return await work(await this.forRepo(repo));
    } catch (error) {
      throw providerError(error, call, this.names);
    }
  }

  private options() {
    const log = this.o.logger;
    return {
      baseUrl: this.o.settings.apiUrl,
      userAgent: 'deckhand',
      log: {
        debug: () => undefined,
        info: () => undefined,
        warn: (message: string) => log.warn({ provider: 'github' }, message),
        error: (message: string) => log.error({ provider: 'github' }, message),
      },
      request: this.o.fetch ? { fetch: this.o.fetch } : {},
    };
  }

  private async forRepo(repo: Repo): Promise<Octokit> {
    const { auth } = this.o.settings;
    if (auth.kind === 'none') {
      throw new ProviderError(
        'GitHub credentials are not set: set GITHUB_TOKEN, or GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY.',
      );
    }
    if (auth.kind === 'token') {
      this.tokenClient ??= new Octokit({ ...this.options(), auth: auth.token });
      return this.tokenClient;
    }
    const key = auth.installationId ?? repo.fullName.toLowerCase();
    let client = this.installations.get(key);
    if (!client) {
      client = this.installationClient(repo, auth);
      this.installations.set(key, client);
      // A failed lookup (app not installed yet) is retried on the next call.
      client.catch(() => this.installations.delete(key));
    }
    return client;
  }

  private async installationClient(
    repo: Repo,
    auth: Extract<GithubSettings['auth'], { kind: 'app' }>,
  ): Promise<Octokit> {
    const strategy = { appId: auth.appId, privateKey: auth.privateKey, cache: this.cache };
    let installationId = auth.installationId;
    if (!installationId) {
      this.app ??= new Octokit({ ...this.options(), authStrategy: createAppAuth, auth: strategy });
      try {
        const { data } = await this.app.rest.apps.getRepoInstallation({ owner: repo.owner, repo: repo.repo });
        installationId = String(data.id);
      } catch (error) {
        if ((error as { status?: number }).status === 404) {
          throw new ProviderError(
            `GitHub answered 404 Not Found for the GitHub App installation on ${repo.fullName}: install the app there or set providers.github.installationId.`,
            404,
          );
        }
        throw providerError(
          error,
          { what: `the GitHub App installation on ${repo.fullName}`, check: '' },
          this.names,
        );
      }
    }
    return new Octokit({
      ...this.options(),
      authStrategy: createAppAuth,
      auth: { ...strategy, installationId },
    });
  }
}
