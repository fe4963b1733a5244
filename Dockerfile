# syntax=docker/dockerfile:1
# Multi-stage: compile TypeScript with the dev dependencies, then prune them away; the runtime
# stage copies the pruned node_modules, so the image installs nothing of its own and ships
# exactly the modules the build was tested with (native ones built on the same base image).
# Node 24, the active LTS line, pinned to its major: svix 2.x declares Node >= 22. CI runs the
# whole test suite on Node 24 (from the npm registry) as well as on the machine's own Node.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY transforms ./transforms
COPY functions ./functions
COPY destinations ./destinations
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:24-slim AS runtime
ENV NODE_ENV=production \
    PORT=8288 \
    DATA_DIR=/app/data \
    TRANSFORMS_DIR=/app/transforms \
    FUNCTIONS_DIR=/app/functions \
    DESTINATIONS_DIR=/app/destinations
WORKDIR /app
# package.json: npm run migrate, and the version bridge --version prints.
COPY package.json ./
COPY --from=build /app/node_modules ./node_modules
# The build copies what tsc does not emit (Lua scripts, the dashboard's static files) into dist.
COPY --from=build /app/dist/src ./dist/src
# Templates, operator functions and destinations stay as source: operators mount their own over
# these folders, and .ts files load through tsx (a runtime dependency) on demand.
COPY transforms ./transforms
COPY functions ./functions
COPY destinations ./destinations
# The CLI; with no src/ beside it, bin/bridge.js runs dist/src/cli (bridge migrate, bridge runs).
# samples/: Clerk's example payloads, which bridge trigger sends.
COPY bin ./bin
COPY samples ./samples
RUN mkdir -p /app/data && chown -R node:node /app/data
USER node
EXPOSE 8288
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8288)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/app/main.js"]
