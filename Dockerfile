# One image for the gateway (its default command) and every subgraph
# (SUBGRAPH=<name> with `node --max-semi-space-size=64 dist/scripts/start-subgraph.js`). Built in two
# stages: the first compiles TypeScript to dist/ (npm run build), the second
# holds production dependencies and the compiled output only, on a current LTS
# Node, as the unprivileged `node` user.
FROM node:22.21.1-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci applies patches/ to the installed packages (patch-package, package.json's postinstall).
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY platform ./platform
COPY gateway ./gateway
COPY subgraphs ./subgraphs
COPY schema ./schema
COPY scripts ./scripts
RUN npm run build

FROM node:22.21.1-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0
COPY package.json package-lock.json ./
COPY patches ./patches
# Optional dependencies are left out: the embedded PostgreSQL binaries (npm start only)
# are the largest of them.
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=4s --start-period=30s --retries=3 CMD ["node", "dist/scripts/healthcheck.js"]
# The gateway's V8 flags are those of gateway/node-flags.ts (gateway/test/node-flags.test.ts checks).
CMD ["node", "--max-semi-space-size=64", "--no-allocation-site-pretenuring", "dist/gateway/main.js"]
