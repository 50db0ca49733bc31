# The ICCS SDMX server as a container image, in two stages:
#   build   - installs every dependency (native better-sqlite3 included), compiles the
#             TypeScript to dist/ and drops the dev dependencies;
#   runtime - the same slim Node.js base with only what the server reads at run time:
#             node_modules, dist/, sdmx/ (the structure files), metadata/ (the reference
#             metadata), migrations/, GraphiQL's mounting script and the portal's style sheets and script
#             (browser files, not compiled)
#             and package.json (src/project-root.ts finds the app root by its package.json).
#
# Choices:
# - One Node.js LTS line for both stages, so the better-sqlite3 addon built in `build` matches
#   the runtime's ABI. Node 26 is the active LTS line (since October 2026) and better-sqlite3 12
#   supports it; bump NODE_IMAGE to the next LTS line when it becomes active.
# - The server runs as `node` directly, not `npm start`: `npm start` runs `prestart`, which
#   compiles again and needs the dev dependencies (TypeScript) that the runtime does not have.
# - Runs as the unprivileged `node` user; the app files stay owned by root (read-only for it)
#   and only /data, where the SQLite database lives, is writable.
#
# Build and run:
#   docker build -t iccs-sdmx-server .
#   docker run --rm -p 3000:3000 -v iccs-data:/data iccs-sdmx-server

ARG NODE_IMAGE=node:26-slim

FROM ${NODE_IMAGE} AS build
# Toolchain for node-gyp, used when no prebuilt better-sqlite3 binary fits this platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Dependencies first: this layer is rebuilt only when the lockfile changes.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_URL=/data/iccs.sqlite \
    LOG_LEVEL=info
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY sdmx ./sdmx
COPY migrations ./migrations
COPY metadata ./metadata
COPY src/routes/graphql/graphiql-app.js ./src/routes/graphql/graphiql-app.js
COPY src/routes/portal/styles ./src/routes/portal/styles
COPY src/routes/portal/scripts ./src/routes/portal/scripts
# The real demo data published on first start into an empty database (data/demo/README.md).
COPY data/demo ./data/demo
# The portal's charts as PNG are drawn with the system's fonts (resvg): slim images have none.
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
# The volume must exist, owned by the runtime user, before VOLUME: a named volume is
# initialised from it, so the unprivileged server can create the database there.
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 3000
# No curl in slim images: Node's own fetch asks GET /health (200 once structures are loaded).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# server.ts closes Fastify and the database on SIGTERM (docker stop).
CMD ["node", "dist/src/server.js"]
