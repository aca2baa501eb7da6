# The billing API. Build context: the repository root
#   docker build -f docker/billing-api.Dockerfile -t meterbill/billing-api .
# Configuration is the environment only (see docs/operations.md): BILLING_ADMIN_TOKEN is required.
# It applies the Flyway migrations of sql/ on start.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -pl billing-api -am install -DskipTests \
 && mvn -B -q -pl billing-api dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib \
 && cp billing-api/target/billing-api-*.jar billing-api/target/lib/

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --no-create-home meterbill
COPY --from=build /src/billing-api/target/lib/ /app/lib/
USER 10001
ENV BILLING_API_PORT=8081
EXPOSE 8081
HEALTHCHECK --interval=10s --timeout=3s --start-period=40s --retries=3 \
  CMD curl -fsS "http://localhost:${BILLING_API_PORT}/health/ready" || exit 1
# The heap is committed and touched at start (InitialRAMPercentage, AlwaysPreTouch): a heap that grows under load
# touches new pages in the middle of requests, which cost the usage API's large answers 250-400 ms each for
# seconds on end (docs/benchmarks.md, ./billing bench usage-query).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:InitialRAMPercentage=75", "-XX:+AlwaysPreTouch", "-cp", "/app/lib/*", "dev.meterbill.billing.BillingApi"]
