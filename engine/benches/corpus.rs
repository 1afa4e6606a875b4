//! A generated corpus of typical configuration files, about 2 KB each, for benchmarks: the
//! same input on every run (no randomness), varied enough that no two files are alike.

#![allow(dead_code)] // shared by the benchmark and the `gen_corpus` example

/// `(relative path, text)` for `count` files spread over the kinds the way a service repo has them.
pub(crate) fn corpus(count: usize) -> Vec<(String, String)> {
    (0..count)
        .map(|i| match i % 6 {
            0 => (format!("infra/m{}/main{i}.tf", i / 60), terraform(i)),
            1 => (format!("services/s{i}/Dockerfile"), dockerfile(i)),
            2 => (format!("deploy/app{}/deploy{i}.yaml", i / 60), kubernetes(i)),
            3 => (format!("compose/c{i}/docker-compose.yml"), compose(i)),
            4 => (format!("wf/w{i}/.github/workflows/ci.yml"), workflow(i)),
            _ => (format!("env/e{i}/.env.production"), dotenv(i)),
        })
        .collect()
}

pub(crate) fn terraform(i: usize) -> String {
    format!(
        r#"variable "env_{i}" {{
  type    = string
  default = "staging"
}}

locals {{
  prefix_{i} = "shop-${{var.env_{i}}}"
  tags_{i}   = {{ Team = "payments", Service = "api-{i}" }}
}}

resource "aws_s3_bucket" "logs_{i}" {{
  bucket = "${{local.prefix_{i}}}-logs-{i}"
  tags   = local.tags_{i}
}}

resource "aws_s3_bucket_versioning" "logs_{i}" {{
  bucket = aws_s3_bucket.logs_{i}.id
  versioning_configuration {{
    status = "Enabled"
  }}
}}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs_{i}" {{
  bucket = aws_s3_bucket.logs_{i}.id
  rule {{
    apply_server_side_encryption_by_default {{
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.logs_{i}.arn
    }}
  }}
}}

resource "aws_kms_key" "logs_{i}" {{
  description             = "logs {i}"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}}

resource "aws_db_instance" "main_{i}" {{
  identifier              = "main-{i}"
  engine                  = "postgres"
  instance_class          = "db.t3.medium"
  allocated_storage       = {alloc}
  storage_encrypted       = true
  multi_az                = false
  backup_retention_period = 7
  deletion_protection     = true
  publicly_accessible     = false
  vpc_security_group_ids  = [aws_security_group.db_{i}.id]
}}

resource "aws_security_group" "db_{i}" {{
  name = "db-{i}"
  ingress {{
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }}
}}
"#,
        alloc = 20 + i % 100
    )
}

pub(crate) fn dockerfile(i: usize) -> String {
    format!(
        r#"# syntax=docker/dockerfile:1.7
ARG PYTHON_VERSION=3.12
FROM python:${{PYTHON_VERSION}}-slim AS build-{i}
WORKDIR /src
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip \
    pip install --prefix=/install -r requirements.txt
COPY . .
RUN <<EOF
set -eu
python -m compileall -q /src
find /src -name '*.pyc' -delete
EOF

FROM gcr.io/distroless/python3-debian12:nonroot@sha256:{digest:064x}
LABEL org.opencontainers.image.source="https://example.com/shop/api-{i}" \
      org.opencontainers.image.version="1.{i}.0"
ENV PYTHONUNBUFFERED=1 \
    PORT=80{port:02}
COPY --from=build-{i} /install /usr/local
COPY --from=build-{i} --chown=65532:65532 /src /app
WORKDIR /app
USER 65532:65532
EXPOSE 80{port:02}
HEALTHCHECK --interval=30s --timeout=3s CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:80{port:02}/healthz')"]
ENTRYPOINT ["python", "-m", "api_{i}"]
CMD ["--workers", "4"]
"#,
        digest = i * 7919,
        port = i % 100
    )
}

pub(crate) fn kubernetes(i: usize) -> String {
    format!(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: api-{i}
  namespace: payments
  labels:
    app: api-{i}
    team: payments
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: api-{i}
  template:
    metadata:
      labels:
        app: api-{i}
    spec:
      serviceAccountName: api-{i}
      securityContext:
        runAsNonRoot: true
      containers:
        - name: api
          image: ghcr.io/acme/api-{i}:1.{i}.0
          ports:
            - containerPort: 8080
          envFrom:
            - configMapRef:
                name: api-{i}-config
          resources:
            requests: {{cpu: 100m, memory: 128Mi}}
            limits: {{cpu: 500m, memory: 512Mi}}
          readinessProbe:
            httpGet: {{path: /healthz, port: 8080}}
          livenessProbe:
            httpGet: {{path: /livez, port: 8080}}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
---
apiVersion: v1
kind: Service
metadata:
  name: api-{i}
  namespace: payments
spec:
  selector:
    app: api-{i}
  ports:
    - port: 80
      targetPort: 8080
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: api-{i}-config
  namespace: payments
data:
  LOG_LEVEL: info
  FEATURE_{i}: "on"
"#,
        replicas = 2 + i % 3
    )
}

pub(crate) fn compose(i: usize) -> String {
    format!(
        r#"x-common: &common
  restart: unless-stopped
  logging:
    driver: json-file
    options: {{max-size: 10m}}

services:
  api:
    <<: *common
    build: ../../services/s{i}
    image: ghcr.io/acme/api-{i}:dev
    env_file: .env
    ports:
      - "80{port:02}:8080"
    depends_on: [db, cache]
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost:8080/healthz"]
      interval: 10s
  worker:
    <<: *common
    build:
      context: ../../services/s{i}
      dockerfile: Dockerfile
    command: ["python", "-m", "worker"]
  db:
    image: postgres:16.{minor}
    environment:
      POSTGRES_DB: shop
      POSTGRES_PASSWORD: example-only
    volumes:
      - db-data:/var/lib/postgresql/data
  cache:
    image: redis:7.2
volumes:
  db-data: {{}}
"#,
        port = i % 100,
        minor = i % 5
    )
}

pub(crate) fn workflow(i: usize) -> String {
    format!(
        r#"name: ci-{i}
on:
  push:
    branches: [main]
  pull_request:
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-24.04
    strategy:
      matrix:
        python: ["3.11", "3.12"]
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: ${{{{ matrix.python }}}}
      - run: pip install -r requirements.txt
      - run: pytest -q --junitxml=report-{i}.xml
  build:
    needs: test
    runs-on: ubuntu-24.04
    permissions:
      packages: write
    steps:
      - uses: actions/checkout@v4
      - uses: docker/login-action@v3
        with:
          registry: ghcr.io
          username: ${{{{ github.actor }}}}
          password: ${{{{ secrets.GITHUB_TOKEN }}}}
      - uses: docker/build-push-action@v6
        with:
          context: services/s{i}
          push: true
          tags: ghcr.io/acme/api-{i}:${{{{ github.sha }}}}
"#
    )
}

pub(crate) fn dotenv(i: usize) -> String {
    let mut text = format!("# service {i}\nexport APP_NAME=api-{i}\nPORT=80{:02}\n", i % 100);
    for key in 0..40 {
        text.push_str(&format!("SETTING_{key}_{i}=\"value-{key}-{i} with spaces\" # note\n"));
    }
    text.push_str("DATABASE_URL=postgres://app:example-only@db:5432/shop\n");
    text
}
