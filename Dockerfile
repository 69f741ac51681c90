# One image for the gateway (its default command) and every subgraph
# (docker-compose.yml gives each its command). TypeScript runs through tsx (no build step).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY platform ./platform
COPY gateway ./gateway
COPY subgraphs ./subgraphs
COPY schema ./schema
COPY scripts ./scripts
COPY tsconfig.json ./
USER node
EXPOSE 4000
# The gateway's V8 flags are those of gateway/node-flags.ts (gateway/test/node-flags.test.ts checks).
CMD ["node", "--max-semi-space-size=64", "--import", "tsx", "gateway/main.ts"]
