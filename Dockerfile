# One image per service, built from the monorepo:
#   docker build --build-arg SERVICE=ingestion -t rapport-ingestion .
#   docker build --build-arg SERVICE=identity -t rapport-identity .
#   docker build --build-arg SERVICE=scoring -t rapport-scoring .
#   docker build --build-arg SERVICE=offer -t rapport-offer .
# Stage 1 compiles every workspace the service needs; stage 2 keeps production dependencies only.
FROM node:20-bookworm-slim AS build
WORKDIR /rapport
COPY package.json package-lock.json turbo.json tsconfig.base.json buf.yaml buf.gen.yaml ./
# turbo's build of a service also builds its dev dependencies (@rapport/testing, which needs
# @rapport/infra) and regenerates @rapport/proto from proto/ first (build depends on generate).
COPY proto ./proto
COPY packages ./packages
COPY services ./services
COPY infra ./infra
COPY tests/package.json ./tests/package.json
COPY bench/package.json ./bench/package.json
RUN npm ci --no-audit --no-fund
ARG SERVICE
RUN npx turbo run build --filter=@rapport/${SERVICE}...

FROM node:20-bookworm-slim AS runtime
ARG SERVICE
ENV NODE_ENV=production BIND_ADDRESS=0.0.0.0
WORKDIR /rapport
COPY --from=build /rapport/package.json /rapport/package-lock.json ./
COPY --from=build /rapport/packages ./packages
COPY --from=build /rapport/services/${SERVICE} ./services/${SERVICE}
COPY --from=build /rapport/infra/package.json ./infra/package.json
COPY --from=build /rapport/tests/package.json ./tests/package.json
COPY --from=build /rapport/bench/package.json ./bench/package.json
RUN npm ci --omit=dev --no-audit --no-fund --workspace=@rapport/${SERVICE} --include-workspace-root=false \
  && npm cache clean --force
USER node
WORKDIR /rapport/services/${SERVICE}
CMD ["node", "dist/main.js"]
