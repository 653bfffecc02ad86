import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// This folder, without node:path (the renderer's lint rules forbid Node built-ins here too).
const here = decodeURIComponent(new URL('.', import.meta.url).pathname).replace(/^\/([A-Za-z]:)/, '$1').replace(/\/$/, '');

/**
 * The renderer is built once and served two ways: from file:// inside
 * Electron and by the loopback web server. A relative base makes both work.
 * No inline scripts and no eval, so a strict CSP (script-src 'self') holds.
 */
export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  build: {
    outDir: `${here}/../build/out/renderer`,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 4000,
    reportCompressedSize: false,
  },
  server: { strictPort: false },
  logLevel: 'warn',
});
