/** Assembles one deckhand process from a config: store, providers, core, chat adapters, HTTP. */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { DestinationStream, Logger as PinoLogger } from 'pino';
import { createWebchatAdapter } from '../chat/webchat/index.ts';
import type { CiAdapterFactory } from '../ci/adapter.ts';
import { createLocalRunner } from '../ci/local/index.ts';
import { type LoadedConfig, loadConfig } from '../config/load.ts';
import type { ProviderName } from '../config/providers.ts';
import { Catalog } from '../core/catalog.ts';
import { Core } from '../core/core.ts';
import { ExternalRuns } from '../core/external-runs.ts';
import { Notifier } from '../core/notify/notifier.ts';
import type { RenderContext } from '../core/notify/run-message.ts';
import { Outbox } from '../core/outbox.ts';
import { Directory } from '../core/people.ts';
import { policyFromConfig } from '../core/policy.ts';
import { type ChatSender, type CiProvider, type Clock, systemClock } from '../core/ports.ts';
import { Redactor, redactingAudit } from '../core/redact.ts';
import { RunService } from '../core/runs.ts';
import type { Stores } from '../core/store.ts';
import { UpdateJournal } from '../core/update-journal.ts';
import { builtinModules } from '../modules/builtin.ts';
import { type DeckhandModules, type OpenStore, openStore } from '../modules/index.ts';
import { createCiAdapters } from './ci-adapters.ts';
import { gatingFromConfig } from './gating.ts';
import { registerHealth } from './health.ts';
import { countWaitingRequests } from './in-flight.ts';
import { createLogger } from './logger.ts';
import { configHash, createReloader, type ReloadResult } from './reload.ts';
import { registerRunLogs } from './run-logs.ts';
import { secretValues } from './secrets.ts';

export interface DeckhandOptions {
  config: LoadedConfig;
  logger?: PinoLogger;
  clock?: Clock;
  /** Extra chat senders (tests use a recording one). */
  senders?: ChatSender[];
  /** Where conventional secrets (SLACK_BOT_TOKEN…) are read; the process environment by default. */
  env?: Record<string, string | undefined>;
  /** How long a command may take before an ack says what happens next (Slack waits 3 s). */
  ackWithinMs?: number;
  /** Where logs go when deckhand makes its own logger (default: stdout). */
  logStream?: DestinationStream;
  /** How a reload reads the config again (default: the same file, with the same environment). */
  reloadConfig?: () => Promise<LoadedConfig>;
  /** CI adapter factories to use instead of the built-in ones (tests). */
  ciFactories?: Partial<Record<ProviderName, CiAdapterFactory>>;
  /** The modules to build from (the built-in list by default). */
  modules?: DeckhandModules;
}

export interface Deckhand {
  app: FastifyInstance;
  logger: PinoLogger;
  /** The open database (through its store driver). */
  store: OpenStore;
  stores: Stores;
  core: Core;
  runs: RunService;
  outbox: Outbox;
  providers: Map<string, CiProvider>;
  /** Resolves once every CI update taken in so far is applied. */
  updatesApplied(): Promise<void>;
  /** Reads the config again and applies people, roles, policy and gates (SIGHUP); audited. */
  reload(): Promise<ReloadResult>;
  /** Starts workers and listens; returns the address. */
  listen(port?: number, host?: string): Promise<string>;
  /** Starts workers without listening (for `app.inject` tests). */
  startWorkers(): Promise<void>;
  close(): Promise<void>;
}

export async function createDeckhand(options: DeckhandOptions): Promise<Deckhand> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const env = options.env ?? process.env;
  // One redactor for every way out: chat (outbox), logs, audit entries.
  const redactor = new Redactor(secretValues(config, env, []));
  const logger = options.logger ?? createLogger(redactor, options.logStream);
  const store = await openStore(config, options.modules ?? builtinModules);
  const stores = { ...store.stores, audit: redactingAudit(store.stores.audit, redactor) };
  const directory = new Directory(config.people);

  const senders = new Map<string, ChatSender>();
  const webchat = config.webchat.enabled
    ? createWebchatAdapter({ transcript: stores.transcript, config, clock })
    : undefined;
  if (webchat) senders.set(webchat.sender.platform, webchat.sender);
  // Slack's SDKs load only when Slack is configured (start-up time and memory).
  const slackModule =
    config.slack && config.slack.enabled !== false ? await import('../chat/slack/index.ts') : undefined;
  const slack =
    slackModule && config.slack
      ? slackModule.createSlackAdapter({
          settings: slackModule.slackSettings(config.slack, env),
          dedupe: stores.dedupe,
          logger: logger.child({ component: 'slack' }),
          ackWithinMs: options.ackWithinMs,
        })
      : undefined;
  if (slack) senders.set(slack.sender.platform, slack.sender);
  for (const sender of options.senders ?? []) senders.set(sender.platform, sender);

  let runs: RunService | undefined;
  const outbox = new Outbox({
    store: stores.outbox,
    senders,
    logger,
    clock,
    redactor,
    onDropped: (item, reason) => runs?.deliveryFailed(item, reason),
  });
  // Without a configured public URL, links use the address deckhand actually listens on.
  let publicUrl = (config.server.publicUrl ?? `http://localhost:${config.server.port}`).replace(/\/$/, '');
  const render: RenderContext = {
    mention: (id) => directory.mention(id),
    mentionEmail: (email: string) => directory.mentionEmail(email),
    logUrl: (runId) => `${publicUrl}/runs/${runId}/log`,
  };
  const addresses = (channelId: string) =>
    [...senders.keys()].flatMap((platform) => {
      const address =
        config.channels[channelId]?.[platform] ?? (platform === 'webchat' ? channelId : undefined);
      return address ? [{ platform, channel: address }] : [];
    });
  const notifier = new Notifier({ outbox, routes: config.notifications, addresses, render });

  const providers = new Map<string, CiProvider>();
  const local = createLocalRunner({
    config,
    emit: (event) => (runs as RunService).handle(event),
    logger: logger.child({ component: 'local-runner' }),
  });
  providers.set(local.name, local);
  let external: ExternalRuns | undefined;
  let requestsWaiting = () => false;
  const journal = new UpdateJournal({
    store: stores.inboundUpdates,
    busy: () => requestsWaiting(),
    apply: async (update) => {
      await external?.handle(update);
    },
    clock,
    logger: logger.child({ component: 'ci-updates' }),
  });
  const ci = await createCiAdapters(
    {
      config,
      env,
      // Journalled before the CI system hears back, applied in order right after.
      onUpdate: (update) => journal.accept(update),
      onAlert: async (alert) => {
        await notifier.security(alert);
      },
      dedupe: stores.dedupe,
      journal,
      logger: logger.child({ component: 'ci' }),
      clock,
    },
    options.ciFactories,
  );
  for (const adapter of ci) providers.set(adapter.provider.name, adapter.provider);
  const catalog = new Catalog(config, providers);
  redactor.add(ci.flatMap((adapter) => adapter.secrets ?? []));
  runs = new RunService({
    ...stores,
    notifier,
    providerFor: (pipeline) => catalog.provider(pipeline),
    clock,
    logger,
    redactor,
  });
  external = new ExternalRuns({
    runs: stores.runs,
    service: runs,
    directory,
    commandFor: (pipeline) => catalog.commandFor(pipeline),
    clock,
  });
  const policy = policyFromConfig(config);
  const core = new Core({
    ...stores,
    catalog,
    runs,
    outbox,
    directory,
    render,
    clock,
    logger,
    redactor,
    policy,
    gating: gatingFromConfig(config, { catalog, deployments: stores.deployments, addresses }),
  });
  const reload = createReloader(
    {
      audit: stores.audit,
      clock,
      redactor,
      directory,
      policy,
      core,
      gating: (next) => gatingFromConfig(next, { catalog, deployments: stores.deployments, addresses }),
      logger,
    },
    config,
    options.reloadConfig ?? (() => loadConfig(config.file, env)),
  );

  const app: FastifyInstance = Fastify({
    // Request logs stay quiet; warnings and errors still show.
    loggerInstance: logger.child({ component: 'http' }, { level: 'warn' }) as FastifyBaseLogger,
    bodyLimit: config.server.bodyLimit,
  });
  requestsWaiting = countWaitingRequests(app);
  registerHealth(app, {
    database: () => store.ping(),
    outbox: () => outbox.running,
  });
  registerRunLogs(app, {
    get: (id) => stores.runs.get(id),
    logFile: (runId, step) => local.logFile(runId, step),
    redact: (text) => redactor.redact(text),
  });
  if (webchat) await app.register(webchat.routes(core));
  const slackHttp = slack?.routes(core);
  if (slackHttp) await app.register(slackHttp);
  for (const adapter of ci) if (adapter.routes) await app.register(adapter.routes);

  let workers = false;
  const startWorkers = async () => {
    if (workers) return;
    workers = true;
    // Hosted CI systems keep running while deckhand restarts and report back; local runs died with it.
    await stores.audit.append({
      at: clock.now(),
      kind: 'config.loaded',
      decision: 'applied',
      text: `sha256:${configHash(config.file)}`,
      outcome: 'deckhand started',
    });
    const interrupted = await runs.recoverInterrupted((run) => run.provider !== 'local');
    if (interrupted > 0)
      logger.warn({ interrupted }, 'runs interrupted by the last shutdown were marked failed');
    outbox.start();
    journal.start();
    await core.gates.start();
    for (const adapter of ci) await adapter.start?.();
    await slack?.start(core);
  };

  return {
    app,
    logger,
    store,
    stores,
    core,
    runs,
    outbox,
    providers,
    reload,
    updatesApplied: () => journal.idle(),
    startWorkers,
    async listen(port = config.server.port, host = config.server.host) {
      await startWorkers();
      const address = await app.listen({ port, host });
      if (!config.server.publicUrl) publicUrl = address.replace('127.0.0.1', 'localhost');
      return address;
    },
    async close() {
      webchat?.close();
      await slack?.stop();
      for (const adapter of ci) await adapter.stop?.();
      await app.close();
      await journal.stop();
      await core.gates.stop();
      for (const provider of providers.values()) await provider.close?.();
      await outbox.stop();
      await store.close();
    },
  };
}
