/** The alert webhooks deckhand serves, each only with its token set (no token: no route, and a log line saying so). */
import type { FastifyPluginAsync } from 'fastify';
import { webhookRoute } from '../../ci/webhook-route.ts';
import type { Intake } from '../../core/intake.ts';
import type { ModuleLogger } from '../../modules/common.ts';
import { alertmanagerWebhook } from '../alertmanager/webhook.ts';
import { genericAlertWebhook } from './webhook.ts';

/** The conventional variables their bearer tokens come from. */
export const alertTokens = ['ALERTMANAGER_WEBHOOK_TOKEN', 'ALERTS_WEBHOOK_TOKEN'] as const;

/** The fastify plugins for the alert webhooks whose tokens `env` has. */
export function alertRoutes(
  env: Record<string, string | undefined>,
  intake: Pick<Intake, 'record'>,
  logger: Pick<ModuleLogger, 'warn' | 'info'>,
): FastifyPluginAsync[] {
  const routes: FastifyPluginAsync[] = [];
  const am = env.ALERTMANAGER_WEBHOOK_TOKEN;
  const generic = env.ALERTS_WEBHOOK_TOKEN;
  if (am) routes.push(webhookRoute(alertmanagerWebhook({ token: am }), intake, logger));
  else
    logger.info(
      {},
      'POST /webhooks/alertmanager is off: set ALERTMANAGER_WEBHOOK_TOKEN to take Alertmanager alerts',
    );
  if (generic) routes.push(webhookRoute(genericAlertWebhook({ token: generic }), intake, logger));
  else
    logger.info(
      {},
      'POST /webhooks/alerts is off: set ALERTS_WEBHOOK_TOKEN to take alerts from other senders',
    );
  return routes;
}
