# syntax=docker/dockerfile:1
# Portico: the SPA and the `portico` binary in one small image that runs as a non-root user.

# 1. The SPA.
FROM node:20.19-bookworm-slim AS web
WORKDIR /src/web
COPY web/package.json web/package-lock.json web/.npmrc ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
COPY openapi.yaml /src/openapi.yaml
RUN npm run build

# 2. The server.
FROM rust:1.95-slim-bookworm AS server
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY api/ api/
COPY migration/ migration/
COPY tests/ tests/
RUN cargo build --release --locked -p portico && strip target/release/portico

# 3. The runtime.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 portico \
    && useradd --system --uid 10001 --gid portico --home-dir /var/lib/portico --create-home portico
COPY --from=server /src/target/release/portico /usr/local/bin/portico
COPY --from=web /src/web/dist /usr/share/portico/web
ENV PORTICO_HOST=0.0.0.0 \
    PORTICO_PORT=8080 \
    PORTICO_WEB_DIR=/usr/share/portico/web \
    PORTICO_DATA_DIR=/var/lib/portico \
    PORTICO_LOG_FORMAT=json
USER portico
WORKDIR /var/lib/portico
VOLUME ["/var/lib/portico"]
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 CMD ["portico", "healthcheck"]
ENTRYPOINT ["portico"]
CMD ["serve"]
