/** Assembles one deckhand process from a config and a list of modules: store, chat, CI, core, HTTP. */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import { loadConfig } from '../config/load.ts';
import { runbookSecrets } from '../config/runbooks.ts';
import { redactAtRest } from '../core/at-rest.ts';
import { Catalog } from '../core/catalog.ts';
import { Core } from '../core/core.ts';
import { outsideNotice } from '../core/deployments.ts';
import { errorId } from '../core/errors.ts';
import { ExternalRuns } from '../core/external-runs.ts';
import { IntakeService } from '../core/intake-service.ts';
import { IntakeWorker } from '../core/intake-worker.ts';
import { Notifier } from '../core/notify/notifier.ts';
import type { RenderContext } from '../core/notify/run-message.ts';
import { createOnCall } from '../core/oncall/index.ts';
import { Outbox } from '../core/outbox.ts';
import { Directory } from '../core/people.ts';
import { policyNotices, policyOptions } from '../core/policy.ts';
import { type ChatSender, type CiProvider, systemClock } from '../core/ports.ts';
import { Redactor } from '../core/redact.ts';
import { RunbookService } from '../core/runbooks/executor.ts';
import { RunbookPolicy } from '../core/runbooks/policy.ts';
import { RunService } from '../core/runs.ts';
import { builtinModules } from '../modules/builtin.ts';
import { configExtensions, familyShapes, openStore } from '../modules/index.ts';
import { AuditCheckpoints } from './audit-checkpoints.ts';
import { createCiSystems } from './ci-systems.ts';
import { Connections } from './connections.ts';
import type { Deckhand, DeckhandOptions } from './deckhand-types.ts';
import { killAfterPost } from './faults.ts';
import { registerHealth } from './health.ts';
import { Housekeeping } from './housekeeping.ts';
import { countWaitingRequests } from './in-flight.ts';
import { alertTokens, createIncidents } from './incidents.ts';
import { createLogger } from './logger.ts';
import { handleFindings, operationsGating, registerScanners } from './operations.ts';
import { channelAddresses, createPlatforms } from './platforms.ts';
import { configHash, createReloader } from './reload.ts';
import { registerRunLogs } from './run-logs.ts';
import { registerRunbookLogs } from './runbook-logs.ts';
import { secretValues } from './secrets.ts';
import { assertCredentials, assertWritableFolders, listenError } from './startup-checks.ts';

export type { Deckhand, DeckhandOptions } from './deckhand-types.ts';

export async function createDeckhand(options: DeckhandOptions): Promise<Deckhand> {
  const { config } = options;
  const modules = options.modules ?? builtinModules;
  const clock = options.clock ?? systemClock;
  const env = options.env ?? process.env;
  // Refused before anything opens: every missing credential at once, and a data folder deckhand cannot write.
  assertCredentials(config, env, modules);
  assertWritableFolders(config);
  // One redactor for every way out (chat, logs) and everything kept (the stores, run logs).
  const redactor = new Redactor([...secretValues(config, env, modules), ...runbookSecrets(config.runbooks)]);
  // Families made from the config (`/ops` from `runbooks:`); one with nothing configured is left out.
  const families = modules.commands.flatMap((f) => (f.fromConfig ? (f.fromConfig(config) ?? []) : [f]));
  redactor.add(alertTokens.flatMap((name) => env[name] ?? []));
  const logger = options.logger ?? createLogger(redactor, options.logStream);
  const store = await openStore(config, modules);
  // Nothing is kept that has not passed the redactor.
  const stores = redactAtRest(store.stores, redactor);
  const directory = new Directory(config.people);
  const oncall = createOnCall(config, directory);

  // Built before the core so chat platforms and CI systems can hold the intake; it reaches the
  // core once that exists (nothing is handled before the workers start).
  let core: Core | undefined;
  let runs: RunService | undefined;
  let external: ExternalRuns | undefined;
  let requestsWaiting = () => false;
  const worker = new IntakeWorker({
    store: stores.intake,
    owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    busy: () => requestsWaiting(),
    clock,
    logger: logger.child({ component: 'intake' }),
  });
  const the = () => core as Core;
  const intake = new IntakeService({
    store: stores.intake,
    worker,
    core: {
      execute: (r, hooks) => the().execute(r, hooks),
      deliver: (r, o) => the().deliver(r, o),
      pending: (r) => the().pending(r),
      safe: (m) => the().safe(m),
      handleAction: (r, alongside) => the().handleAction(r, alongside),
      readsOnly: (text) => the().readsOnly(text),
    },
    apply: async (update) => {
      await external?.handle(update);
    },
    redactor,
    clock,
    logger: logger.child({ component: 'intake' }),
  });

  const roots = families.map((f) => f.root);
  const platforms = await createPlatforms(modules.chat, {
    config,
    env,
    intake,
    stores,
    roots,
    families: familyShapes(families),
    logger,
    clock,
  });
  const senders = new Map<string, ChatSender>(
    [...platforms].map(([name, { platform }]) => [name, platform.sender]),
  );
  const outbox = new Outbox({
    store: stores.outbox,
    owner: worker.owner,
    senders,
    logger,
    clock,
    redactor,
    onDropped: (item, reason) => runs?.deliveryFailed(item, reason),
    afterSend: killAfterPost(env, logger),
  });
  // Without a configured public URL, links use the address deckhand actually listens on.
  let publicUrl = (config.server.publicUrl ?? `http://localhost:${config.server.port}`).replace(/\/$/, '');
  const render: RenderContext = {
    mention: (id) => directory.mention(id),
    mentionEmail: (email: string) => directory.mentionEmail(email),
    logUrl: (runId) => `${publicUrl}/runs/${runId}/log`,
  };
  const addresses = channelAddresses(
    config,
    [...platforms.values()].map((p) => p.module),
  );
  const notifier = new Notifier({ outbox, routes: config.notifications, addresses, render });
  handleFindings({ config, stores, clock, addresses, notifier, intake });
  const anchor = config.audit.checkpoints;
  const checkpoints = anchor.enabled
    ? new AuditCheckpoints({
        audit: stores.audit,
        file: config.paths.checkpoints,
        everyMs: anchor.every,
        clock,
        logger: logger.child({ component: 'audit' }),
        post: anchor.channel
          ? async (c) => {
              const text = `${c.count} entries, the newest #${c.lastId}, head ${c.keyed ? 'MAC' : 'SHA-256'} \`${c.head}\` at ${c.at}.`;
              for (const to of addresses(anchor.channel as string))
                await notifier.notice(to, { status: 'info', header: 'Audit checkpoint', text });
            }
          : undefined,
      })
    : undefined;

  const keepIds = config.database.keepDeliveryIds;
  const housekeeping = new Housekeeping({
    tasks: [{ name: 'delivery ids', run: (now) => stores.dedupe.prune(new Date(now.getTime() - keepIds)) }],
    everyMs: 3600_000,
    clock,
    logger: logger.child({ component: 'housekeeping' }),
  });

  const ci = await createCiSystems(modules.ci, {
    config,
    env,
    onEvent: (event) => (runs as RunService).handle(event),
    // A poll's update: recorded, then applied in order.
    onUpdate: (update) => intake.accept(update),
    // A recorded delivery's handler: its record already stands for the update.
    apply: async (update) => {
      await external?.handle(update);
    },
    onAlert: async (alert) => {
      await notifier.security(alert);
    },
    dedupe: stores.dedupe,
    intake,
    logger: logger.child({ component: 'ci' }),
    clock,
    redactor,
  });
  const providers = new Map<string, CiProvider>(
    ci.map(({ system }) => [system.provider.name, system.provider]),
  );
  const outlives = new Set(modules.ci.filter((m) => m.runsOutliveDeckhand).map((m) => m.name));
  const catalog = new Catalog(config, providers);
  redactor.add(ci.flatMap(({ system }) => system.secrets ?? []));
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
    deployments: stores.deployments,
    outside: async (run) => {
      const channel = config.deployments.outsideChannel;
      if (channel)
        for (const to of addresses(channel)) await notifier.notice(to, outsideNotice(run, render.mention));
    },
  });
  // Runbooks need a restart to change, so their roles and gates are those deckhand started with.
  const policy = new RunbookPolicy(policyOptions(config), config.runbooks);
  for (const n of policyNotices(config, [...platforms.keys()])) logger[n.level](n.text);
  const gating = operationsGating(config, {
    catalog,
    stores,
    addresses,
    incidentFreeze: (environment, command) => incidents?.service.freezes.at(environment, command),
    onApproval: async (request) => incidents?.service.approvalNeeded(request),
  });
  const runbooks = new RunbookService({
    runbooks: config.runbooks,
    store: stores.runbookRuns,
    outbox,
    audit: stores.audit,
    runs,
    pipelines: {
      defaultBranch: (p) => catalog.defaultBranch(p),
      timeout: (p) => config.pipelines[p]?.timeout ?? 15 * 60_000,
    },
    mention: (id) => directory.mention(id),
    logUrl: (id) => `${publicUrl}/runbooks/${id}/log`,
    runLogUrl: (id) => `${publicUrl}/runs/${id}/log`,
    clock,
    logger: logger.child({ component: 'runbooks' }),
    redactor,
  });
  const incidents = createIncidents(config.incidents, {
    store: stores.incidentStore,
    outbox,
    directory,
    deployments: stores.deployments,
    intake,
    env,
    addresses: () => addresses(config.incidents?.channel ?? ''),
    sender: (platform) => senders.get(platform),
    oncall: options.oncall ?? oncall,
    clock,
    logger: logger.child({ component: 'incidents' }),
  });
  core = new Core({
    incidents: incidents?.service,
    ...stores,
    families,
    runbooks,
    catalog,
    runs,
    outbox,
    directory,
    render,
    clock,
    logger,
    redactor,
    policy,
    gating: gating(config),
    limits: { lockMs: config.locks.maxDuration },
    oncall,
  });
  const reload = createReloader(
    { audit: stores.audit, clock, redactor, directory, policy, core, gating, logger, oncall },
    config,
    options.reloadConfig ?? (() => loadConfig(config.file, env, { extensions: configExtensions(modules) })),
  );

  const app: FastifyInstance = Fastify({
    // Request logs stay quiet; warnings and errors still show.
    loggerInstance: logger.child({ component: 'http' }, { level: 'warn' }) as FastifyBaseLogger,
    bodyLimit: config.server.bodyLimit,
  });
  requestsWaiting = countWaitingRequests(app);
  // A request's own fault keeps its 4xx; deckhand's is a 500 with an id that is in the log.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.code(status).send({ error: error.message });
    const id = errorId();
    request.log.error({ err: error, errorId: id, url: request.url }, 'request failed');
    return reply
      .code(500)
      .send({ error: `deckhand failed on its side; the log has the details (error id ${id}).` });
  });
  // Links to platforms and CI systems open in the background: nothing here waits on the outside world.
  const connections = new Connections({
    logger: logger.child({ component: 'connections' }),
    backoff: options.connectBackoff,
  });
  for (const [name, { platform }] of platforms)
    if (platform.connection) connections.add(name, platform.connection);
  for (const { module, system } of ci) if (system.connection) connections.add(module.name, system.connection);
  registerHealth(app, { database: () => store.ping(), outbox: () => outbox.running }, () =>
    connections.states(),
  );
  registerRunLogs(app, {
    get: (id) => stores.runs.get(id),
    logFile: (run, step) => providers.get(run.provider)?.logFile?.(run.id, step),
    redact: (text) => redactor.redact(text),
  });
  registerRunbookLogs(app, { log: (id) => runbooks.log(id), redact: (text) => redactor.redact(text) });
  for (const { platform } of platforms.values()) if (platform.routes) await app.register(platform.routes);
  for (const { system } of ci) if (system.routes) await app.register(system.routes);
  await registerScanners(app, { config, env, intake, logger: logger.child({ component: 'security' }) });
  await incidents?.register(app);

  let workers = false;
  const startWorkers = async () => {
    if (workers) return;
    workers = true;
    await stores.audit.append({
      at: clock.now(),
      kind: 'config.loaded',
      decision: 'applied',
      text: `sha256:${configHash(config.file)}`,
      outcome: 'deckhand started',
    });
    // Hosted CI systems keep running while deckhand restarts and report back; local runs died with it.
    const interrupted = await (runs as RunService).recoverInterrupted((run) => outlives.has(run.provider));
    if (interrupted > 0)
      logger.warn({ interrupted }, 'runs interrupted by the last shutdown were marked failed');
    // Runbooks a crash interrupted are marked so and never run again.
    const stopped = await runbooks.recover();
    if (stopped > 0)
      logger.warn({ stopped }, 'runbooks interrupted by the last shutdown were marked interrupted');
    outbox.start();
    worker.start();
    await (core as Core).gates.start();
    for (const { system } of ci) await system.start?.();
    for (const { platform } of platforms.values()) await platform.start?.();
    connections.start();
    await checkpoints?.start();
    await housekeeping.start();
    incidents?.escalation.start();
  };

  return {
    app,
    logger,
    store,
    stores,
    core,
    runs,
    runbooks,
    external,
    incidents,
    notifier,
    outbox,
    oncall,
    providers,
    reload,
    intake,
    handled: () => worker.idle(),
    startWorkers,
    async listen(port = config.server.port, host = config.server.host) {
      await startWorkers();
      const address = await app.listen({ port, host }).catch((error: unknown) => {
        throw listenError(error, port, host);
      });
      if (!config.server.publicUrl) publicUrl = address.replace('127.0.0.1', 'localhost');
      return address;
    },
    async close() {
      connections.stop();
      for (const { platform } of platforms.values()) await platform.stop?.();
      for (const { system } of ci) await system.stop?.();
      await app.close();
      await worker.stop();
      await housekeeping.stop();
      await incidents?.escalation.stop();
      await (core as Core).gates.stop();
      for (const provider of providers.values()) await provider.close?.();
      // The last entries are anchored before the database closes.
      await checkpoints?.stop();
      await outbox.stop();
      await store.close();
    },
  };
}
