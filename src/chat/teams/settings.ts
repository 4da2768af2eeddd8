/** Teams settings: config values, else the conventional environment variables, else Bot Framework's public endpoints. */
import type { Env } from '../../modules/common.ts';
import { checkCredential, isGuid } from '../../modules/credentials.ts';
import type { TeamsConfig } from './config.ts';

export interface TeamsSettings {
  appId: string;
  appPassword: string;
  serviceUrl: string;
  allowedServiceUrls: string[];
  openIdUrl: string;
  tokenUrl: string;
  /** Entra group object id → roles; Graph is asked only when there are some. */
  groups: Record<string, string[]>;
  groupCacheTtl: number;
  graphUrl: string;
  graphTokenUrl?: string;
}

/** https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication */
export const BOT_FRAMEWORK = {
  openIdUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  issuer: 'https://api.botframework.com',
  scope: 'https://api.botframework.com/.default',
  serviceUrl: 'https://smba.trafficmanager.net/teams/',
  serviceUrls: ['https://smba.trafficmanager.net/'],
};

/** https://learn.microsoft.com/graph/auth-v2-service */
export const GRAPH = { url: 'https://graph.microsoft.com', scope: 'https://graph.microsoft.com/.default' };

const tokenUrlFor = (tenant: string) =>
  `https://login.microsoftonline.com/${encodeURIComponent(tenant)}/oauth2/v2.0/token`;

/** Resolves settings; throws one sentence naming what is missing. */
export function teamsSettings(config: TeamsConfig, env: Env): TeamsSettings {
  const appId = config.appId ?? env.TEAMS_APP_ID;
  const appPassword = config.appPassword ?? env.TEAMS_APP_PASSWORD;
  if (!appId || !appPassword)
    throw new Error('Teams is configured but TEAMS_APP_ID and TEAMS_APP_PASSWORD are not both set.');
  const tenant = config.tenantId ?? env.TEAMS_TENANT_ID;
  const serviceUrl = config.serviceUrl ?? env.TEAMS_SERVICE_URL ?? BOT_FRAMEWORK.serviceUrl;
  // An explicit allow-list must name the send URL; without one, the public hosts and the operator's own URL.
  const allowedServiceUrls = config.serviceUrls ?? [...BOT_FRAMEWORK.serviceUrls, serviceUrl];
  if (!serviceUrlAllowed(serviceUrl, allowedServiceUrls))
    throw new Error(`teams.serviceUrl ${serviceUrl} is not on the teams.serviceUrls allow-list.`);
  return {
    appId,
    appPassword,
    serviceUrl,
    allowedServiceUrls,
    openIdUrl: config.openIdUrl ?? env.TEAMS_OPENID_URL ?? BOT_FRAMEWORK.openIdUrl,
    tokenUrl: config.tokenUrl ?? env.TEAMS_TOKEN_URL ?? tokenUrlFor(tenant ?? 'botframework.com'),
    ...graphSettings(config, env, tenant),
  };
}

/** Entra groups need Graph tokens from the organisation's own tenant. */
function graphSettings(config: TeamsConfig, env: Env, tenant: string | undefined) {
  const groups = config.groups ?? {};
  const graphTokenUrl =
    config.graphTokenUrl ?? env.TEAMS_GRAPH_TOKEN_URL ?? (tenant ? tokenUrlFor(tenant) : undefined);
  if (Object.keys(groups).length > 0 && !graphTokenUrl)
    throw new Error(
      'teams.groups needs your tenant: set teams.tenantId (or TEAMS_TENANT_ID), as Microsoft Graph gives application tokens for one tenant.',
    );
  return {
    groups,
    groupCacheTtl: config.groupCacheTtl ?? 300_000,
    graphUrl: config.graphUrl ?? env.TEAMS_GRAPH_URL ?? GRAPH.url,
    ...(graphTokenUrl ? { graphTokenUrl } : {}),
  };
}

/** Whether deckhand may call `url`: https (or a configured http prefix), under an allowed prefix. */
export function serviceUrlAllowed(url: string, allowed: readonly string[]): boolean {
  const parse = (s: string) => {
    try {
      return new URL(s);
    } catch {
      return undefined;
    }
  };
  const target = parse(url);
  return allowed.some((prefix) => {
    const p = parse(prefix);
    return !!target && !!p && target.origin === p.origin && target.pathname.startsWith(p.pathname);
  });
}

/**
 * What is missing or malformed: the Microsoft App ID is a GUID (the bot's Entra app registration,
 * https://learn.microsoft.com/azure/bot-service/bot-service-quickstart-registration); empty when
 * Teams can run.
 */
export function teamsCredentials(config: TeamsConfig | undefined, env: Env): string[] {
  const c = config ?? ({} as Partial<TeamsConfig>);
  const problems: string[] = [];
  checkCredential(problems, {
    variable: 'TEAMS_APP_ID',
    key: 'teams.appId',
    fromKey: c.appId !== undefined,
    value: c.appId ?? env.TEAMS_APP_ID,
    expected: "the bot's Microsoft App ID, a GUID like 00000000-0000-0000-0000-000000000000",
    valid: isGuid,
  });
  checkCredential(problems, {
    variable: 'TEAMS_APP_PASSWORD',
    key: 'teams.appPassword',
    value: c.appPassword ?? env.TEAMS_APP_PASSWORD,
    expected: "a client secret of the bot's app registration",
  });
  return problems;
}
