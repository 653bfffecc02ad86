import { randomBytes } from 'node:crypto';
import { guid } from './estate.ts';

/**
 * A fake Microsoft Entra ID (AAD) authority: the OpenID configuration MSAL
 * reads, the v2.0 token endpoint (client credentials with a secret or a
 * certificate assertion, device code) and instance discovery. Tokens are
 * unsigned JWTs; the emulator only accepts tokens it issued itself.
 */

export type ServicePrincipal = { clientId: string; secret?: string; objectId?: string; displayName?: string };

export type IssuedToken = { token: string; claims: Record<string, unknown>; scope: string };

function b64url(v: unknown): string {
  return Buffer.from(JSON.stringify(v)).toString('base64url');
}

export function makeJwt(claims: Record<string, unknown>): string {
  return `${b64url({ typ: 'JWT', alg: 'RS256', kid: 'emulator' })}.${b64url(claims)}.${randomBytes(16).toString('base64url')}`;
}

export class FakeAuthority {
  readonly issued = new Map<string, IssuedToken>();
  readonly tokenRequests: Array<{ tenant: string; grantType: string; clientId: string; scope: string; ok: boolean }> = [];
  private readonly principals: ServicePrincipal[];
  private readonly tenantId: string;
  private readonly deviceCodes = new Map<string, { clientId: string; scope: string }>();
  private baseUrl = '';

  constructor(tenantId: string, principals: ServicePrincipal[]) {
    this.tenantId = tenantId;
    this.principals = principals;
  }

  setBaseUrl(url: string): void {
    this.baseUrl = url;
  }

  /** A token for tests that use a fixed TokenCredential instead of a real sign-in. */
  issueUserToken(scope: string, upn = 'auditor@contoso.example'): string {
    const now = Math.floor(Date.now() / 1000);
    const claims = { aud: scope.replace(/\/\.default$/, ''), iss: `${this.baseUrl}/${this.tenantId}/v2.0`, tid: this.tenantId, oid: guid('user', upn), upn, name: 'Test Auditor', iat: now, nbf: now, exp: now + 3600 };
    const token = makeJwt(claims);
    this.issued.set(token, { token, claims, scope });
    return token;
  }

  handles(method: string, path: string): boolean {
    return /^\/[^/]+\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/(token|devicecode|authorize))$/i.test(path) || /^\/common\/discovery\/instance$/i.test(path) || (method === 'GET' && /^\/[^/]+\/discovery\/v2\.0\/keys$/i.test(path));
  }

  handle(method: string, path: string, query: URLSearchParams, body: string): { status: number; body: unknown } {
    const tenant = path.split('/')[1] ?? '';
    if (/\/v2\.0\/\.well-known\/openid-configuration$/i.test(path)) {
      const base = `${this.baseUrl}/${tenant}`;
      return {
        status: 200,
        body: {
          token_endpoint: `${base}/oauth2/v2.0/token`,
          token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
          jwks_uri: `${base}/discovery/v2.0/keys`,
          response_modes_supported: ['query', 'fragment', 'form_post'],
          subject_types_supported: ['pairwise'],
          id_token_signing_alg_values_supported: ['RS256'],
          response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
          scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
          issuer: `${this.baseUrl}/${tenant}/v2.0`,
          request_uri_parameter_supported: false,
          userinfo_endpoint: `${this.baseUrl}/oidc/userinfo`,
          authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
          device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
          http_logout_supported: true,
          frontchannel_logout_supported: true,
          end_session_endpoint: `${base}/oauth2/v2.0/logout`,
          claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'tid', 'oid'],
          kerberos_endpoint: `${base}/kerberos`,
          tenant_region_scope: 'EU',
          cloud_instance_name: 'emulator',
          cloud_graph_host_name: 'graph.emulator',
          msgraph_host: 'graph.emulator',
          rbac_url: 'https://pas.emulator',
        },
      };
    }
    if (/^\/common\/discovery\/instance$/i.test(path)) {
      const host = new URL(this.baseUrl).host;
      return {
        status: 200,
        body: {
          tenant_discovery_endpoint: `${this.baseUrl}/${query.get('authorization_endpoint')?.split('/')[3] ?? 'common'}/v2.0/.well-known/openid-configuration`,
          'api-version': '1.1',
          metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
        },
      };
    }
    if (/\/discovery\/v2\.0\/keys$/i.test(path)) return { status: 200, body: { keys: [] } };
    const form = new URLSearchParams(body);
    const clientId = form.get('client_id') ?? '';
    const scope = form.get('scope') ?? '';
    if (/\/oauth2\/v2\.0\/devicecode$/i.test(path)) {
      const deviceCode = randomBytes(12).toString('hex');
      this.deviceCodes.set(deviceCode, { clientId, scope });
      const userCode = deviceCode.slice(0, 9).toUpperCase();
      return {
        status: 200,
        body: {
          user_code: userCode,
          device_code: deviceCode,
          verification_uri: `${this.baseUrl}/devicelogin`,
          expires_in: 900,
          interval: 0,
          message: `To sign in, use a web browser to open the page ${this.baseUrl}/devicelogin and enter the code ${userCode} to authenticate.`,
        },
      };
    }
    if (/\/oauth2\/v2\.0\/token$/i.test(path) && method === 'POST') {
      const grantType = form.get('grant_type') ?? '';
      const fail = (code: string, description: string) => {
        this.tokenRequests.push({ tenant, grantType, clientId, scope, ok: false });
        return { status: code === 'invalid_client' ? 401 : 400, body: { error: code, error_description: description, error_codes: [7000215], timestamp: new Date().toISOString(), trace_id: guid('trace', Date.now()), correlation_id: guid('corr', Date.now()) } };
      };
      if (tenant.toLowerCase() !== this.tenantId.toLowerCase()) return fail('invalid_request', `AADSTS90002: Tenant '${tenant}' not found.`);
      const now = Math.floor(Date.now() / 1000);
      const aud = scope.split(' ').find((s) => s.endsWith('/.default'))?.replace(/\/\.default$/, '') ?? '';
      if (grantType === 'client_credentials') {
        const sp = this.principals.find((p) => p.clientId.toLowerCase() === clientId.toLowerCase());
        if (!sp) return fail('unauthorized_client', `AADSTS700016: Application with identifier '${clientId}' was not found in the directory.`);
        const secret = form.get('client_secret');
        const assertion = form.get('client_assertion');
        if (secret !== null) {
          if (secret !== sp.secret) return fail('invalid_client', `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`);
        } else if (!assertion) {
          return fail('invalid_client', 'AADSTS7000216: client_assertion or client_secret is required.');
        }
        const claims = { aud, iss: `${this.baseUrl}/${tenant}/v2.0`, tid: this.tenantId, oid: sp.objectId ?? guid('sp', sp.clientId), appid: sp.clientId, azp: sp.clientId, idtyp: 'app', iat: now, nbf: now, exp: now + 3600 };
        const token = makeJwt(claims);
        this.issued.set(token, { token, claims, scope });
        this.tokenRequests.push({ tenant, grantType, clientId, scope, ok: true });
        return { status: 200, body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token } };
      }
      if (grantType === 'device_code' || grantType === 'urn:ietf:params:oauth:grant-type:device_code') {
        const dc = this.deviceCodes.get(form.get('device_code') ?? '');
        if (!dc) return fail('expired_token', 'AADSTS70020: The provided value for the input parameter device_code is not valid.');
        const upn = 'auditor@contoso.example';
        const oid = guid('user', upn);
        const claims = { aud, iss: `${this.baseUrl}/${tenant}/v2.0`, tid: this.tenantId, oid, upn, name: 'Test Auditor', iat: now, nbf: now, exp: now + 3600 };
        const token = makeJwt(claims);
        this.issued.set(token, { token, claims, scope });
        const idToken = makeJwt({ aud: dc.clientId, iss: `${this.baseUrl}/${tenant}/v2.0`, tid: this.tenantId, oid, sub: oid, preferred_username: upn, name: 'Test Auditor', iat: now, nbf: now, exp: now + 3600, ver: '2.0' });
        const clientInfo = Buffer.from(JSON.stringify({ uid: oid, utid: this.tenantId })).toString('base64url');
        this.tokenRequests.push({ tenant, grantType, clientId, scope, ok: true });
        return { status: 200, body: { token_type: 'Bearer', scope, expires_in: 3599, ext_expires_in: 3599, access_token: token, id_token: idToken, client_info: clientInfo } };
      }
      return fail('unsupported_grant_type', `AADSTS70003: The app requested an unsupported grant type '${grantType}'.`);
    }
    return { status: 404, body: { error: 'not_found' } };
  }
}
