# The poolbench image from the fat jar (docs/k8s.md). Build the jar first, then the image:
#
#   ./mvnw -B -o package -DskipTests -pl harness/cli -am
#   docker build -t poolbench:0.1.0-SNAPSHOT .          # or: podman build / buildah bud
#
# BASE_IMAGE may be any image with a Java 21+ runtime on PATH and /bin/sh, e.g. a mirror of
# eclipse-temurin:21-jre in your own registry. The entrypoint sets -Xmx from the container's
# memory limit (75 %; POOLBENCH_HEAP_PERCENT) and passes its arguments to the CLI:
#   docker run --rm -m 2g poolbench:0.1.0-SNAPSHOT loadgen --help
ARG BASE_IMAGE=eclipse-temurin:21-jre
FROM ${BASE_IMAGE}
COPY harness/cli/target/poolbench.jar /opt/poolbench/poolbench.jar
COPY harness/cli/src/main/image/opt/poolbench/bin/poolbench /opt/poolbench/bin/poolbench
RUN chmod 0755 /opt/poolbench/bin/poolbench && chmod 0644 /opt/poolbench/poolbench.jar
USER 10001:10001
WORKDIR /tmp
EXPOSE 8000 8080
ENTRYPOINT ["/opt/poolbench/bin/poolbench"]
CMD ["--help"]
