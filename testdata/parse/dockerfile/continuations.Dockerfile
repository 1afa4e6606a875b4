FROM debian:bookworm-slim

# Packages, one per line, with comments and a blank line inside the continuation.
RUN apt-get update \
    # the compilers
    && apt-get install -y --no-install-recommends \
        build-essential \

        ca-certificates \
    && rm -rf /var/lib/apt/lists/*

ENV PATH=/opt/app/bin:$PATH \
    LANG=C.UTF-8 \
    APP_HOME="/opt/app"
LABEL maintainer="platform@example.com" \
      org.opencontainers.image.title="tools"
