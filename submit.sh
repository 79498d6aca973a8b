#!/usr/bin/env bash
# adaspark's single entry point.
#
#   ./submit.sh [--master URL] [--conf k=v]... [--driver-memory M] <command> [args]
#
# Builds the application jar when it is missing or older than the sources, then runs
# io.adaspark.cli.Main through spark-submit:
#   - with SPARK_HOME set: "$SPARK_HOME/bin/spark-submit" (a real Spark distribution);
#   - otherwise Spark's own launcher (org.apache.spark.launcher.Main, as bin/spark-class does)
#     and org.apache.spark.deploy.SparkSubmit over the Spark jars Maven resolved into
#     target/spark-home/jars: nothing to install beyond JDK 17 and Maven. The launcher adds
#     the JVM module options Spark 4 needs on Java 17 (JavaModuleOptions).
# Default master: local[*]. Commands: run, report, golden, cluster (more: ./submit.sh --help).
# `cluster start|stop|status` runs a standalone master and workers on 127.0.0.1 from the same
# jars (plain java, no spark-submit); `--master spark://127.0.0.1:7077 run JOB` submits to it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
APP_JAR="$ROOT/target/adaspark.jar"
BENCH_JAR="$ROOT/target/adaspark-bench.jar"
EMBEDDED_HOME="$ROOT/target/spark-home"
MAIN_CLASS=io.adaspark.cli.Main

die() { echo "submit.sh: $*" >&2; exit 2; }

usage() {
  cat <<USAGE
usage: ./submit.sh [--master URL] [--conf k=v]... [--driver-memory M] <command> [args]

commands:
  run <job.json>     train every run of a job file; writes metrics, runs, manifest, report
  report <dir>...    the report of job outputs: <dir>/report/index.md, PNG figures, CSV tables
  golden <dir>       check the optimizers against golden trajectory files
  bench [options]    benchmarks side by side with MLlib (BENCHMARKS.md); master local[2], driver 8g
  cluster start [--workers N] [--cores C] [--memory M]
                     start a standalone master + workers on 127.0.0.1 (target/cluster)
  cluster stop       stop exactly the processes cluster start started
  cluster status     master URL, workers, cores, running applications
  <command> --help   help for one command

options (before the command):
  --master URL        Spark master (default local[*]; local[2] for bench); e.g. spark://127.0.0.1:7077, yarn
  --conf k=v          a Spark configuration property (repeatable)
  --driver-memory M   driver heap, e.g. 4g

environment:
  SPARK_HOME          use that Spark distribution's spark-submit instead of the embedded one
USAGE
}

MASTER="${ADASPARK_MASTER:-}"
DRIVER_MEMORY=""
SUBMIT_OPTS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --master) [ $# -ge 2 ] || die "--master needs a URL"; MASTER="$2"; shift 2 ;;
    --master=*) MASTER="${1#--master=}"; shift ;;
    --conf) [ $# -ge 2 ] || die "--conf needs k=v"; SUBMIT_OPTS+=(--conf "$2"); shift 2 ;;
    --conf=*) SUBMIT_OPTS+=(--conf "${1#--conf=}"); shift ;;
    --driver-memory) [ $# -ge 2 ] || die "--driver-memory needs a size"; DRIVER_MEMORY="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    --) shift; break ;;
    -*) die "unknown option $1 (see ./submit.sh --help)" ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { usage >&2; exit 2; }
# bench measures on local[2] (the figures of BENCHMARKS.md) and caches adaspark's and MLlib's
# copies of 10^7-row data in the driver: its own defaults. The bench is not in the application
# jar: its own jar (target/adaspark-bench.jar, main class BenchMain) runs with the application
# jar on the class path.
PRIMARY_JAR="$APP_JAR"
SUBMIT_CLASS="$MAIN_CLASS"
if [ "$1" = "bench" ]; then
  shift
  PRIMARY_JAR="$BENCH_JAR"
  SUBMIT_CLASS=io.adaspark.bench.BenchMain
  SUBMIT_OPTS+=(--jars "$APP_JAR")
  MASTER="${MASTER:-local[2]}"
  DRIVER_MEMORY="${DRIVER_MEMORY:-8g}"
  # A fixed heap, as JVM benchmarks use: with a growable one, the System.gc() before each
  # measured load shrank the heap and every load then paid for growing it again (page faults:
  # up to 40 % system CPU, loads 5.9-7.4 s instead of 4.5-5.3 s). defaultJavaOptions, so that a
  # user's spark.driver.extraJavaOptions (e.g. a JFR recording) still applies.
  # AlwaysPreTouch: the heap's pages are faulted in at start-up, not by the first allocations in
  # each young-generation region - which a fresh JVM pays during its first gigabytes of
  # allocation: row 6 alone measured passes of 0.049-0.118 s against 0.045-0.074 s pre-touched.
  SUBMIT_OPTS+=(--conf "spark.driver.defaultJavaOptions=-Xms$DRIVER_MEMORY -XX:+AlwaysPreTouch")
fi
MASTER="${MASTER:-local[*]}"
[ -z "$DRIVER_MEMORY" ] || SUBMIT_OPTS+=(--driver-memory "$DRIVER_MEMORY")

# Build when the jar or the embedded Spark home is missing, or any source is newer.
needs_build() {
  [ -f "$APP_JAR" ] || return 0
  [ -f "$EMBEDDED_HOME/RELEASE" ] || return 0
  [ -n "$(find "$ROOT/pom.xml" "$ROOT/src/main" -newer "$APP_JAR" -print -quit 2>/dev/null)" ] && return 0
  # the bench jar, only for the bench
  [ "$PRIMARY_JAR" = "$BENCH_JAR" ] || return 1
  [ -f "$BENCH_JAR" ] || return 0
  [ -n "$(find "$ROOT/src/bench" -newer "$BENCH_JAR" -print -quit 2>/dev/null)" ]
}
if needs_build; then
  command -v mvn >/dev/null || die "Maven (mvn) is needed to build adaspark"
  echo "submit.sh: building adaspark (mvn -B -q -DskipTests package) ..." >&2
  # package also writes target/spark-home/RELEASE: the launcher treats a directory with RELEASE
  # and jars/ as a Spark distribution.
  (cd "$ROOT" && mvn -B -q -Dstyle.color=never -DskipTests package) >&2
fi

if [ "${1:-}" = "cluster" ]; then
  # Starts/stops Spark's Master and Worker classes itself (through Spark's launcher): no spark-submit.
  exec java -Xmx256m -Dadaspark.root="$ROOT" -cp "$APP_JAR:$EMBEDDED_HOME/jars/*" "$MAIN_CLASS" "$@"
fi
if [ "${1:-}" = "golden" ]; then
  # Pure computation: no Spark needed, so no spark-submit either.
  exec java --add-modules=jdk.incubator.vector -Djava.util.logging.config.file="$ROOT/conf/logging.properties" \
    -cp "$APP_JAR:$EMBEDDED_HOME/jars/*" "$MAIN_CLASS" "$@" 2> >(grep -v "^WARNING: Using incubator modules" >&2)
fi

export SPARK_CONF_DIR="${SPARK_CONF_DIR:-$ROOT/conf}"
# On one machine (local mode, or the local standalone cluster), bind the driver and its UI to
# loopback (Spark otherwise picks an external interface and warns about it).
case "$MASTER" in
  local*|spark://127.0.0.1:*|spark://localhost:*) export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}" ;;
esac
# The JVM's "WARNING: Using incubator modules: jdk.incubator.vector" (the SIMD kernels) is not for
# the user: stderr keeps only adaspark's own lines (progress, one line per bad input) and Spark's
# warnings. The driver runs as a child whose stderr goes through grep (line-buffered, so progress
# passes at once); submit.sh waits for both, so the last line is out before it exits with the
# driver's status, and passes SIGTERM / SIGINT / SIGHUP on to the driver. Stack traces stay off
# the console too (Spark's network threads print some after an executor dies or the heap runs
# out): the lines "\tat ...", "... 12 more", "Caused by: ...", "Suppressed: ..." and an
# exception's own first line ("io.netty...NativeIoException: ..."); the driver log named in
# adaspark's error line keeps Spark's log events with their stacks.
STACK_LINES='^[[:space:]]+at |^[[:space:]]*\.\.\. [0-9]+ (more|common frames omitted)|^[[:space:]]*(Caused by|Suppressed): |^[a-z][A-Za-z0-9_]*(\.[A-Za-z0-9_$]+)+(Exception|Error|Throwable)(: .*)?$'
run_driver() {
  exec 4> >(grep --line-buffered -v -E "^WARNING: Using incubator modules|$STACK_LINES" >&2)
  local filter=$! driver rc
  "$@" 2>&4 &
  driver=$!
  exec 4>&-
  trap 'kill -TERM "$driver" 2>/dev/null' TERM INT HUP
  while :; do
    wait "$driver"
    rc=$?
    kill -0 "$driver" 2>/dev/null || break # wait returned for a trapped signal: the driver still runs
  done
  while kill -0 "$filter" 2>/dev/null; do sleep 0.02; done
  exit "$rc"
}
if [ -n "${SPARK_HOME:-}" ]; then
  run_driver "$SPARK_HOME/bin/spark-submit" --master "$MASTER" "${SUBMIT_OPTS[@]}" \
    --class "$SUBMIT_CLASS" "$PRIMARY_JAR" "$@"
fi

export SPARK_HOME="$EMBEDDED_HOME"
export SPARK_SCALA_VERSION=2.13
# Spark's launcher prints any messages line by line, then a NUL, then the java command
# (NUL-separated); we append its exit code. The same protocol bin/spark-class reads.
build_command() {
  java -Xmx128m -cp "$SPARK_HOME/jars/*" org.apache.spark.launcher.Main "$@"
  printf '%d\0' $?
}
CMD=()
DELIM=$'\n'
STARTED=false
while IFS= read -d "$DELIM" -r ARG; do
  if [ "$STARTED" = true ]; then
    CMD+=("$ARG")
  elif [ -z "$ARG" ]; then
    # bash drops the NUL from the line: an empty "line" is the marker.
    DELIM=''
    STARTED=true
  else
    echo "$ARG" >&2
  fi
done < <(build_command org.apache.spark.deploy.SparkSubmit --master "$MASTER" "${SUBMIT_OPTS[@]}" \
           --class "$SUBMIT_CLASS" "$PRIMARY_JAR" "$@")
[ ${#CMD[@]} -gt 0 ] || die "Spark's launcher printed no command"
LAUNCHER_RC=${CMD[${#CMD[@]}-1]}
unset 'CMD[${#CMD[@]}-1]'
[ "$LAUNCHER_RC" = 0 ] || exit "$LAUNCHER_RC"
run_driver "${CMD[@]}"
