# The ingest gateway. Build context: the repository root
#   docker build -f docker/ingest-gateway.Dockerfile -t meterbill/ingest-gateway .
# Configuration is the environment only (see docs/operations.md): KAFKA_BOOTSTRAP_SERVERS is required.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -pl ingest-gateway -am install -DskipTests \
 && mvn -B -q -pl ingest-gateway dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib \
 && cp ingest-gateway/target/ingest-gateway-*.jar ingest-gateway/target/lib/

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --no-create-home meterbill
COPY --from=build /src/ingest-gateway/target/lib/ /app/lib/
USER 10001
ENV GATEWAY_PORT=8080
EXPOSE 8080
# ready = PostgreSQL reachable for key lookups and the Kafka producer up
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD curl -fsS "http://localhost:${GATEWAY_PORT}/health/ready" || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-cp", "/app/lib/*", "dev.meterbill.gateway.GatewayApp"]
