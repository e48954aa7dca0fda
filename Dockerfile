# syntax=docker/dockerfile:1
# Untested on this project's machines (base images can't be pulled there): see README → Deploy.
#
#   docker build -t luminate-interaction-bot .
#   docker run --env-file .env -p 3000:3000 luminate-interaction-bot
#   docker stop -t 15 <container>     # the bot drains for up to 9 s; Docker's default is 10 s

# Build with the dev dependencies (the TypeScript compiler).
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Production dependencies only.
FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# Runtime: dist/ and production dependencies, owned by root and run as the image's
# unprivileged "node" user, so the bot can't change its own code.
FROM node:24-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
# No curl in slim images: ask /healthz with Node itself. 200 once auth.test has passed.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM starts the drain. Node is PID 1 here, not npm, so the signal reaches the bot and
# nothing exits before it has finished; give it a stop grace over 9 s (docker stop -t 15,
# compose stop_grace_period: 15s, Kubernetes terminationGracePeriodSeconds: 15).
STOPSIGNAL SIGTERM
CMD ["node", "dist/index.js"]
