import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// Dev mode: `npm run dev` serves the SPA on :5173 and proxies /api to a running
// `portico serve` (default :8080; override with PORTICO_API).
export default defineConfig({
  plugins: [react()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  server: {
    proxy: { '/api': process.env.PORTICO_API ?? 'http://127.0.0.1:8080' },
  },
  // No public source maps: the served bundle is all a visitor gets.
  build: { sourcemap: false },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test-setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
