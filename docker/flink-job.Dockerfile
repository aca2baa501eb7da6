# The usage aggregation job on the official Flink image: our shaded jar in usrlib, where application
# mode (standalone-job, or the Flink Kubernetes Operator with local:// jarURI) finds it.
#   docker build -f docker/flink-job.Dockerfile -t meterbill/usage-aggregation-job .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -pl flink-jobs -am package -DskipTests \
 && cp flink-jobs/target/flink-jobs-*-job.jar /tmp/usage-aggregation.jar

FROM flink:2.2.1-java17
COPY --from=build --chown=flink:flink /tmp/usage-aggregation.jar /opt/flink/usrlib/usage-aggregation.jar
