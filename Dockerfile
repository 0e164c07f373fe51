# Production image: the API server (TypeScript run by tsx) and the built SPA.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/server/package.json apps/server/
COPY packages/contract/package.json packages/contract/
COPY packages/catalog-model/package.json packages/catalog-model/
COPY apps/web/package.json apps/web/
RUN npm ci --no-audit --no-fund
COPY . .
RUN if [ -f apps/web/package.json ] && grep -q '"build"' apps/web/package.json; then npm run build -w @portolan/web; fi

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=7007
COPY --from=build /app /app
USER node
EXPOSE 7007
# DATABASE_URL is required here: the embedded PostgreSQL is for laptops, not containers.
CMD ["node", "--max-semi-space-size=32", "--import", "tsx", "apps/server/src/main.ts"]
