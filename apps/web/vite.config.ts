import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev:web` serves the SPA with hot reload and forwards API calls to a running server
// (`npm start`, port 7007 unless PORTOLAN_API_URL says otherwise).
const api = process.env.PORTOLAN_API_URL ?? 'http://127.0.0.1:7007';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  server: {
    port: Number(process.env.WEB_PORT ?? 5173),
    proxy: {
      '/v1': api,
      '/openapi.json': api,
      '/docs': api,
      '/healthz': api,
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
  },
});
