# syntax=docker/dockerfile:1-labs
FROM alpine:3.20
RUN --network=none --security=insecure echo isolated
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc \
    --mount=type=ssh \
    npm ci
COPY --parents --exclude=*.md ./docs/**/ /site/
RUN <<EOF bash
  echo "a heredoc to bash"
EOF
