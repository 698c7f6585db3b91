import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import { bitrixZip } from './src/build/zip-plugin.js'

// One config for the app build, the dev server and the tests (vitest reads `test`).
export default defineConfig({
  // bitrixZip: after a build, dist/funnel-lens-<version>.zip for Bitrix24's static-app upload.
  plugins: [vue(), bitrixZip()],
  base: './',
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
  worker: { format: 'es' },
  // The report loads ApexCharts' modular build (src/app/services/apex.ts); pre-bundling its
  // sub-entries together keeps one copy of the core in the dev server ("chart type not registered").
  optimizeDeps: {
    include: [
      'vue3-apexcharts/core',
      'apexcharts/core',
      'apexcharts/line',
      'apexcharts/area',
      'apexcharts/bar',
      'apexcharts/heatmap',
      'apexcharts/features/legend',
    ],
  },
  // Two pages at the archive root: the app (every placement) and Bitrix24's install wizard.
  build: { rolldownOptions: { input: { index: 'index.html', install: 'install.html' } } },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Browser and HTTP tests start servers; keep files apart so ports and CPU do not fight.
    fileParallelism: false,
  },
})
