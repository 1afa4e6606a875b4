ARG REGISTRY=ghcr.io/acme
ARG BASE_TAG
FROM ${REGISTRY}/node:${BASE_TAG:-20} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

FROM deps AS test
RUN npm test

FROM ${REGISTRY}/node:20-slim
ARG BASE_TAG
ENV NODE_ENV=production
COPY --from=deps /app/node_modules ./node_modules
CMD node server.js
