# The raw-event archive job (issue 18) on the official Flink image: our shaded jar (Parquet and Hadoop's client
# inside) in usrlib, where application mode (standalone-job, or the Flink Kubernetes Operator with a local:// jarURI)
# finds it. Writing to s3:// needs Flink's flink-s3-fs-hadoop plugin (FileSink's recoverable writer; the presto
# plugin has none): ENABLE_BUILT_IN_PLUGINS=flink-s3-fs-hadoop-2.2.1.jar, as docker/k8s/archive-deployment.yaml sets.
#   docker build -f docker/archive-job.Dockerfile -t meterbill/usage-archive-job .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -pl archive-job -am package -DskipTests \
 && cp archive-job/target/archive-job-*-job.jar /tmp/usage-archive.jar

FROM flink:2.2.1-java17
COPY --from=build --chown=flink:flink /tmp/usage-archive.jar /opt/flink/usrlib/usage-archive.jar
