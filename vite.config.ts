import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// One config for the app build, the dev server and the tests (vitest reads `test`).
export default defineConfig({
  plugins: [vue()],
  base: './',
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
  worker: { format: 'es' },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Browser and HTTP tests start servers; keep files apart so ports and CPU do not fight.
    fileParallelism: false,
  },
})
