/**
 * The renderer is served from app://vaultproof/ by our own handler rather
 * than file://: a real, standard origin ('self' in the CSP means exactly our
 * files), no access to the rest of the disk, and the CSP sent as a header.
 */
import fs from 'node:fs';
import { protocol, type Session } from 'electron';
import { contentSecurityPolicy, contentTypeFor, resolveStaticPath } from '../core/web/static-files.ts';
import { appHost, appScheme } from './security.ts';

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, stream: false } },
  ]);
}

const baseHeaders = {
  'content-security-policy': contentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
};

export function serveRenderer(session: Session, rendererDir: string): void {
  session.protocol.handle(appScheme, async (request) => {
    const url = new URL(request.url);
    const file = url.host === appHost && request.method === 'GET' ? resolveStaticPath(rendererDir, url.pathname) : null;
    if (!file) return new Response('not found', { status: 404, headers: { ...baseHeaders, 'content-type': 'text/plain; charset=utf-8' } });
    const body = await fs.promises.readFile(file);
    return new Response(body, { status: 200, headers: { ...baseHeaders, 'content-type': contentTypeFor(file) } });
  });
}
