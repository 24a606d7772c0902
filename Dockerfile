# One image per workspace that runs in docker-compose.yml, built from the monorepo:
#   docker build --build-arg WORKSPACE=services/ingestion -t rapport-ingestion .
#   (services/identity, services/scoring, services/offer likewise; deploy is the topic-creating one-shot)
# Stage 1 installs everything, compiles the workspace with the workspaces it needs and collects the
# compiled output of those it needs at run time. Stage 2 installs production dependencies only and
# takes that output: no sources, tests, dev-only workspaces (testing, infra) or dev dependencies.
FROM node:20-bookworm-slim AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
WORKDIR /rapport
COPY package.json package-lock.json turbo.json tsconfig.base.json buf.yaml buf.gen.yaml ./
# npm ci checks every workspace against the lockfile, so every workspace's package.json comes along.
COPY proto ./proto
COPY packages ./packages
COPY services ./services
COPY infra ./infra
COPY deploy ./deploy
COPY tests/package.json ./tests/package.json
COPY bench/package.json ./bench/package.json
RUN npm ci --no-audit --no-fund
ARG WORKSPACE
RUN test -n "${WORKSPACE}" || { echo "Give --build-arg WORKSPACE=services/<name> (or deploy)" >&2; exit 1; }
# turbo's build of a workspace also builds its dev dependencies (@rapport/testing, which needs
# @rapport/infra) and regenerates @rapport/proto from proto/ first (build depends on generate).
RUN npx turbo run build --filter="./${WORKSPACE}..."
# The manifests stage 2 installs from, and the package.json and dist/ of every workspace in the
# workspace's production dependency tree (npm ls lists them as node_modules/@rapport/* links).
RUN mkdir -p /manifests /bundle \
  && cp --parents package.json package-lock.json packages/*/package.json services/*/package.json \
    infra/package.json deploy/package.json tests/package.json bench/package.json /manifests/ \
  && npm ls --omit=dev --all --parseable --workspace="./${WORKSPACE}" \
    | grep '/node_modules/@rapport/' | xargs realpath --relative-to=/rapport | sort -u \
    | while read -r dir; do mkdir -p "/bundle/${dir}" && cp -r "${dir}/package.json" "${dir}/dist" "/bundle/${dir}/"; done

FROM node:20-bookworm-slim AS runtime
ARG WORKSPACE
ENV NODE_ENV=production BIND_ADDRESS=0.0.0.0
WORKDIR /rapport
COPY --from=build /manifests ./
RUN npm ci --omit=dev --no-audit --no-fund --workspace="./${WORKSPACE}" --include-workspace-root=false \
  && npm cache clean --force
COPY --from=build /bundle ./
USER node
WORKDIR /rapport/${WORKSPACE}
CMD ["node", "dist/main.js"]
