import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The dashboard, built into web/dist and served by the Chorus server at GET / (src/http/dashboard.ts).
// `npm run dev:web` serves it with hot reload and sends /api to a Chorus on 127.0.0.1:3000.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // React, Mantine, the router and the query cache are ~690 kB minified (~210 kB compressed), in one cached file.
    chunkSizeWarningLimit: 800,
    // One file for the libraries, which change less often than the pages: browsers keep it across releases.
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [{ name: 'vendor', test: /node_modules/ }],
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
