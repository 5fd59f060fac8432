# syntax=docker/dockerfile:1
# influence-item: one image for web and worker processes (APP_ROLE=web|worker|all).
#   CPU:  docker build -t influence-item .
#   GPU:  docker build --build-arg VARIANT=gpu -t influence-item:gpu .   (CUDA 12 + cuDNN 9, INFER_DEVICE=cuda)
ARG VARIANT=cpu
ARG NODE_MAJOR=24

# ---- dependencies and build (Node 24 LTS, package.json engines) ---------------------------------------------
FROM node:${NODE_MAJOR}-bookworm-slim AS build
ARG VARIANT
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
# Whatever npm honours of package.json "allowScripts" (npm 10 ignores it), say explicitly whether onnxruntime-node's
# postinstall may fetch the CUDA libraries (gpu) or must skip it (cpu).
RUN if [ "$VARIANT" = "gpu" ]; then echo "cuda12" > /tmp/ort; else echo "skip" > /tmp/ort; fi
COPY package.json package-lock.json ./
# fixes to installed packages (patch-package, run by npm's postinstall): see patches/README.md
COPY patches ./patches
RUN ONNXRUNTIME_NODE_INSTALL=$(cat /tmp/ort) npm ci --no-audit --no-fund
COPY . .
RUN NEXT_OUTPUT=standalone npm run build \
 && cp -r .next/static .next/standalone/.next/static \
 && cp -r public .next/standalone/public \
 && npx esbuild scripts/docker/forwarded-for.ts --bundle --platform=node --format=esm --target=node24 \
      --outfile=.next/standalone/forwarded-for.mjs

# ---- runtime bases -------------------------------------------------------------------------------------------
FROM node:${NODE_MAJOR}-bookworm-slim AS runtime-cpu
ENV INFER_DEVICE=cpu

# CUDA 12 + cuDNN 9 runtime with Node added; onnxruntime-node's CUDA provider loads these libraries.
FROM nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04 AS runtime-gpu
ARG NODE_MAJOR
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates gnupg \
 && curl -fsSL https://deb.nodesource.com/setup_${NODE_MAJOR}.x | bash - \
 && apt-get install -y --no-install-recommends nodejs && rm -rf /var/lib/apt/lists/*
ENV INFER_DEVICE=cuda

# ---- final image ---------------------------------------------------------------------------------------------
FROM runtime-${VARIANT} AS runtime
ARG VARIANT
WORKDIR /app
# ffmpeg/ffprobe for media, postgresql-client for pg_dump (backups), CJK fonts for rendering Korean text, tini as PID 1
# (it reaps orphans: a killed embedded Postgres left as a zombie could not be started again beside it), python3 for
# yt-dlp.
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg postgresql-client fonts-noto-cjk curl ca-certificates tini python3 python3-venv \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system app && useradd --system --gid app --home /app app \
 && mkdir -p /data && chown app:app /data
# yt-dlp downloads YouTube videos (video.media; without it only a Gemini key can analyse a YouTube URL). From PyPI, not
# apt: Debian bookworm's and Ubuntu 22.04's packages are years older than YouTube's current player and fail on it.
# "[default]" brings yt-dlp-ejs, which solves YouTube's JavaScript challenges; yt-dlp enables only Deno by default, so
# the command on the PATH is a wrapper that lets it use the image's Node. Pin with --build-arg YTDLP_VERSION=2026.x.y.
ARG YTDLP_VERSION=
RUN python3 -m venv /opt/yt-dlp \
 && /opt/yt-dlp/bin/pip install --no-cache-dir "yt-dlp[default]${YTDLP_VERSION:+==${YTDLP_VERSION}}" \
 && printf '#!/bin/sh\nexec /opt/yt-dlp/bin/yt-dlp --js-runtimes node "$@"\n' > /usr/local/bin/yt-dlp \
 && chmod 755 /usr/local/bin/yt-dlp \
 && yt-dlp --version
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    NEXT_MANUAL_SIG_HANDLE=true \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    DATA_DIR=/data \
    MODELS_DIR=/data/models \
    APP_ROLE=all
COPY --from=build --chown=app:app /app/.next/standalone ./
# Files opened by path at run time: migrations and the embedded Postgres binaries (used only without DATABASE_URL).
COPY --from=build --chown=app:app /app/drizzle ./drizzle
COPY --from=build --chown=app:app /app/package.json ./package.json
USER app
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${PORT}/api/health" || exit 1
# server.js is Next's standalone server; instrumentation.ts starts the database pool, queue and workers by APP_ROLE.
# forwarded-for.mjs (scripts/docker/forwarded-for.ts) makes X-Forwarded-For the address TRUST_PROXY_HOPS believes.
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--import", "./forwarded-for.mjs", "server.js"]
