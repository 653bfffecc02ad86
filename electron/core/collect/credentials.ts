/**
 * Sign-in with @azure/identity: Azure CLI (reuses `az login`), interactive
 * browser (system browser, loopback redirect), device code (the code is
 * shown through a callback), and service principal with a secret or a
 * certificate. Only the non-secret AuthenticationRecord (account, tenant,
 * authority) is ever written to disk, so the next sign-in can preselect the
 * account; tokens and secrets live in memory only.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  AzureCliCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  DeviceCodeCredential,
  InteractiveBrowserCredential,
  deserializeAuthenticationRecord,
  serializeAuthenticationRecord,
  type AuthenticationRecord,
  type TokenCredential,
} from '@azure/identity';
import type { AuthMethod } from '../../../shared/contract/methods/collect.ts';
import { badInput, badOption, needOneOf } from '../errors.ts';

/** The public client the Azure CLI uses; the identity library's default for browser and device sign-in. */
export const defaultPublicClientId = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';

export type SignInSpec = {
  auth: AuthMethod;
  tenantId: string | undefined;
  clientId: string | undefined;
  clientSecret: string | undefined;
  clientCertificatePath: string | undefined;
  authorityHost: string;
  /** True for custom clouds: no call to login.microsoftonline.com to validate the authority. */
  disableInstanceDiscovery: boolean;
  ca: string[] | undefined;
  /** Device code sign-in: the message with the code and the URL to open. */
  onDeviceCode?: (message: string) => void;
  /** Folder for AuthenticationRecords (browser and device sign-in). */
  authRecordDir?: string;
};

export type SignIn = {
  credential: TokenCredential;
  /** Interactive methods sign in here (once) and keep the AuthenticationRecord; the others only fetch a first token. */
  signIn(scope: string, signal: AbortSignal): Promise<string>;
};

export type Principal = {
  type: 'user' | 'servicePrincipal' | 'unknown';
  objectId: string | null;
  userPrincipalName: string | null;
  appId: string | null;
  tenantId: string | null;
};

/** Reads identity claims from an access token (not verified: provenance only, the service verifies it). */
export function principalFromToken(token: string): Principal {
  let claims: Record<string, unknown> = {};
  try {
    const part = token.split('.')[1] ?? '';
    claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    // Opaque token: nothing to read.
  }
  const s = (k: string): string | null => (typeof claims[k] === 'string' && claims[k] !== '' ? (claims[k] as string) : null);
  const upn = s('upn') ?? s('unique_name') ?? s('preferred_username');
  const appId = s('appid') ?? s('azp');
  const type = s('idtyp') === 'app' || (!upn && appId) ? 'servicePrincipal' : upn ? 'user' : 'unknown';
  return { type, objectId: s('oid'), userPrincipalName: upn, appId: type === 'servicePrincipal' ? appId : null, tenantId: s('tid') };
}

function recordPath(spec: SignInSpec): string | null {
  if (!spec.authRecordDir) return null;
  const id = createHash('sha256').update(`${spec.authorityHost}|${spec.tenantId ?? 'organizations'}|${spec.clientId ?? defaultPublicClientId}|${spec.auth}`).digest('hex').slice(0, 16);
  return path.join(spec.authRecordDir, `auth-record-${id}.json`);
}

function loadRecord(file: string | null): AuthenticationRecord | undefined {
  if (!file) return undefined;
  try {
    return deserializeAuthenticationRecord(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function saveRecord(file: string | null, record: AuthenticationRecord | undefined): void {
  if (!file || !record) return;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, serializeAuthenticationRecord(record), { mode: 0o600 });
}

export function createSignIn(spec: SignInSpec): SignIn {
  const common = {
    authorityHost: spec.authorityHost,
    disableInstanceDiscovery: spec.disableInstanceDiscovery,
    ...(spec.ca ? { tlsOptions: { ca: spec.ca } } : {}),
  };
  const firstToken = async (credential: TokenCredential, scope: string, signal: AbortSignal): Promise<string> => {
    // enableCae as the SDK's bearer policy asks: identity keeps a separate token cache for CAE requests,
    // and a first token from the other cache would make every later request sign in again.
    const t = await credential.getToken(scope, { abortSignal: signal, enableCae: true });
    if (!t) throw badInput(`sign-in (${spec.auth}) returned no token for ${scope}`);
    return t.token;
  };
  switch (spec.auth) {
    case 'cli': {
      const credential = new AzureCliCredential(spec.tenantId ? { tenantId: spec.tenantId } : {});
      return { credential, signIn: (scope, signal) => firstToken(credential, scope, signal) };
    }
    case 'sp': {
      if (!spec.tenantId) throw badOption('tenantId', 'service principal sign-in needs the tenant (directory) id');
      if (!spec.clientId) throw badOption('clientId', 'service principal sign-in needs the client (application) id');
      let credential: TokenCredential;
      if (spec.clientCertificatePath) {
        if (!fs.existsSync(spec.clientCertificatePath)) throw badInput(`${spec.clientCertificatePath}: no such certificate file`, { file: spec.clientCertificatePath });
        credential = new ClientCertificateCredential(spec.tenantId, spec.clientId, { certificatePath: spec.clientCertificatePath }, common);
      } else if (spec.clientSecret) {
        credential = new ClientSecretCredential(spec.tenantId, spec.clientId, spec.clientSecret, common);
      } else {
        throw needOneOf(['clientSecretEnv', 'clientCertificate'], 'service principal sign-in needs a client secret (from an environment variable) or a certificate file');
      }
      return { credential, signIn: (scope, signal) => firstToken(credential, scope, signal) };
    }
    case 'device':
    case 'browser': {
      const file = recordPath(spec);
      const authenticationRecord = loadRecord(file);
      const options = {
        ...common,
        clientId: spec.clientId ?? defaultPublicClientId,
        ...(spec.tenantId ? { tenantId: spec.tenantId } : {}),
        ...(authenticationRecord ? { authenticationRecord } : {}),
      };
      const credential =
        spec.auth === 'device'
          ? new DeviceCodeCredential({ ...options, userPromptCallback: (info) => spec.onDeviceCode?.(info.message) })
          : new InteractiveBrowserCredential({ ...options, redirectUri: 'http://localhost' });
      return {
        credential,
        async signIn(scope, signal) {
          const record = await credential.authenticate(scope, { abortSignal: signal, enableCae: true });
          saveRecord(file, record);
          return firstToken(credential, scope, signal);
        },
      };
    }
  }
}
