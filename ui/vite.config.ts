/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The Rust server serves the files of `ui/dist` at `/`, so the
// build uses base `/`. Routing is hash-based (`#/staff/search`), which also works inside a
// Tauri webview later.
const apiServer = 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Two pages: the app of every role (`index.html`) and the resident's phone app (`apply/`), whose
    // bundle holds none of the staff screens.
    rollupOptions: {
      input: { main: 'index.html', apply: 'apply/index.html' },
    },
  },
  server: {
    proxy: {
      '/api': apiServer,
      '/healthz': apiServer,
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
