FROM registry.example.com:5000/team/base:2024.06@sha256:1f0e5d3c2b4a69788766554433221100ffeeddccbbaa99887766554433221100 AS base
FROM localhost:5000/cache AS cache
FROM docker.io/library/python:3.12-slim@sha256:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
COPY --from=base /opt /opt
COPY --from=cache /cache /cache
