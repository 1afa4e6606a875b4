# syntax=docker/dockerfile:1.7
ARG PY=3.12
ARG BUILDER_TAG

FROM python:${PY}-slim AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends -o Dpkg::Options::=--force-confold 'gcc=4:12.2.0-3' libpq-dev \
 && rm -rf /var/lib/apt/lists/*
RUN python3 -m pip install --no-cache-dir -r requirements.txt "flask[async]==3.0.3" git+https://github.com/acme/lib.git@v1.2#egg=lib \
 && curl -fsSL https://example.com/install.sh | sudo -E bash -s -- --yes
RUN ["/bin/sh", "-c", "pip3 wheel --wheel-dir /wheels . && echo \"built $(date)\""]
RUN <<EOF
set -eux
for tool in ruff black; do pip install --no-cache-dir "$tool"; done
case "$(uname -m)" in
  x86_64) go install golang.org/x/tools/cmd/goimports@v0.24.0 ;;
  *) echo skip ;;
esac
EOF

FROM node:22-alpine AS web
RUN apk add --no-cache --virtual .deps python3=3.12.3-r1 make g++ \
 && npm ci --omit=dev && yarn global add serve@14.2.3 \
 && pnpm add -D vite@5.2.0 && apk del .deps
RUN su -c "gem install rails -v 7.1.3" app && zypper --non-interactive install -y 'curl>=8' \
 && pacman -Syu --noconfirm git && microdnf install -y shadow-utils-4.9 && dnf makecache

FROM build
COPY --from=web /app /app
COPY --from=0 /wheels /wheels
RUN cat <<CONF > /etc/app.conf && bash <(wget -qO- https://example.com/setup) && echo done
key = value
CONF
