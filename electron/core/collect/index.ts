/**
 * Live collection from Azure: the plain functions behind `collect.start`
 * (desktop, web mode) and `vaultproof collect` (CLI).
 */
import { defaultCollectIncludes, type CollectStartInput } from '../../../shared/contract/methods/collect.ts';
import { cloudPreset, normaliseEndpoint } from '../../../shared/domain/azure-clouds.ts';
import { badInput, badOption } from '../errors.ts';
import { readCaFile, type CloudSettings, type CollectOptions } from './collector.ts';

export { collect, authRecordDirFor, readCaFile, type CollectOptions, type CollectDeps, type CloudSettings } from './collector.ts';

/** Turns the contract input into collector options: cloud endpoints, CA, secret (from the environment), defaults. */
export function collectOptionsFrom(input: CollectStartInput, env: NodeJS.ProcessEnv = process.env): CollectOptions {
  const extraCa = input.caFile ? readCaFile(input.caFile) : [];
  let cloud: CloudSettings;
  if (input.cloud === 'custom') {
    const armEndpoint = normaliseEndpoint(input.armEndpoint ?? '');
    const authorityHost = normaliseEndpoint(input.authorityHost ?? '');
    if (!armEndpoint) throw badOption('armEndpoint', `the custom cloud's ARM endpoint ${JSON.stringify(input.armEndpoint ?? '')} is not an https:// URL`);
    if (!authorityHost) throw badOption('authorityHost', `the custom cloud's sign-in authority ${JSON.stringify(input.authorityHost ?? '')} is not an https:// URL`);
    cloud = { name: 'custom', authorityHost, armEndpoint, tokenScope: input.tokenScope ?? null, extraCa, caFile: input.caFile ?? null, custom: true };
  } else {
    const preset = cloudPreset(input.cloud ?? 'AzureCloud');
    if (!preset) throw badInput(`unknown cloud ${JSON.stringify(input.cloud)}`);
    cloud = { name: preset.name, authorityHost: preset.authorityHost, armEndpoint: preset.armEndpoint, tokenScope: preset.tokenScope, extraCa, caFile: input.caFile ?? null, custom: false };
  }
  const auth = input.auth ?? 'cli';
  let clientSecret = input.clientSecret;
  if (auth === 'sp' && !clientSecret && !input.clientCertificate) {
    const name = input.clientSecretEnv ?? 'AZURE_CLIENT_SECRET';
    const value = env[name];
    if (!value) throw badOption('clientSecretEnv', `service principal sign-in: the environment variable ${name} is not set or empty (it must hold the client secret; or sign in with a certificate file instead)`);
    clientSecret = value;
  }
  if (auth !== 'sp' && (clientSecret || input.clientSecretEnv || input.clientCertificate)) {
    throw badOption('auth', `a client secret or certificate is only for service principal sign-in (sp), not for ${auth} sign-in`);
  }
  return {
    subscriptions: input.allSubscriptions ? 'all' : (input.subscriptions ?? []),
    tenantId: input.tenantId,
    cloud,
    auth: { auth, clientId: input.clientId, clientSecret, clientCertificatePath: input.clientCertificate },
    include: new Set(input.include ?? defaultCollectIncludes),
    jobsDays: input.jobsDays ?? 7,
    concurrency: input.concurrency ?? 8,
    itemsVia: input.itemsVia ?? 'arm',
    label: input.label ?? null,
  };
}
