# agentshare: the share server. Node 24 runs the TypeScript sources directly (no build step).
FROM node:24-bookworm-slim

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATABASE_URL=sqlite:///data/agentshare.db \
    LOG_FORMAT=json

WORKDIR /app
COPY package.json package-lock.json ./
# Runtime dependencies only; the pinned `node` devDependency is not needed: the image is Node 24.
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
COPY bin ./bin
COPY src ./src
# The server shows these as pages at /docs/ (linked from its front door).
COPY docs ./docs

RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM starts a graceful shutdown (SHUTDOWN_TIMEOUT, default 10 s).
STOPSIGNAL SIGTERM
CMD ["node", "src/cli/main.ts", "serve"]
