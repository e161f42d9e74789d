# syntax=docker/dockerfile:1
# One image for every role of Windhover: `docker run IMAGE server local|standalone|executor|worker|
# scheduler|webserver …` or `docker run IMAGE sys migrate`. See docs/deploy.md.

# ---- build: install every dependency, compile the server (dist/) and the web UI (dist/ui) ----
FROM node:20-bookworm-slim AS build
# python3, make and g++ only matter when a native module (better-sqlite3) has no prebuilt binary
# for this platform and must be compiled.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
# `npm ci` runs the `prepare` script, which is `npm run build` (server and UI); the cache mount
# keeps downloaded packages between builds.
RUN --mount=type=cache,target=/root/.npm npm ci && npm prune --omit=dev

# ---- runtime: production dependencies, the build, Python for script tasks ----
FROM node:20-bookworm-slim
# python3 runs Python script tasks; python3-pip installs their `dependencies` (pip --target);
# git and openssh-client run the Git tasks (io.kestra.plugin.git.*).
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 python3-pip ca-certificates git openssh-client \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
  WINDHOVER_DATA=/data
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/python ./python
COPY --from=build /app/examples ./examples
# The data folder (task working directories; the store and files of `server local`) belongs to
# the unprivileged `node` user of the base image; the code stays read-only to it.
RUN mkdir /data && chown node:node /data
USER node
EXPOSE 8080
ENTRYPOINT ["node", "bin/windhover.js"]
CMD ["--help"]
