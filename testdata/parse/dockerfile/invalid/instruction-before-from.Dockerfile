# a Dockerfile that forgot its base
RUN make
