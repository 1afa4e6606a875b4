FROM ubuntu:24.04
MAINTAINER Old Style <old@example.com>
ENV LEGACY_FORM value with several words
ONBUILD COPY . /app/src
ONBUILD RUN make -C /app/src
VOLUME ["/data", "/logs"]
VOLUME /cache
STOPSIGNAL SIGTERM
WORKDIR /app
USER nobody
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tar.gz /tmp/
ADD --keep-git-dir=true https://github.com/example/repo.git#v1.0.0 /src
CMD ["bash", "-c", "echo \"quoted\" && sleep 1"]
ENTRYPOINT exec /usr/bin/tini -- /app/start
HEALTHCHECK NONE
