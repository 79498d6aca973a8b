package io.adaspark.cli;

import io.adaspark.config.JobLoader;
import io.adaspark.config.JobSpec;
import io.adaspark.report.Report;
import io.adaspark.sweep.JobRunner;
import io.adaspark.train.MetricRow;
import io.adaspark.train.RunResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code run <job.json>}: trains every run of a job file and writes metrics, runs, manifest. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Train every run of a job file on Spark and write, under <output>/<name>/:",
        "  metrics/ (Parquet, one row per run and step), runs/ (Parquet, one row per run),",
        "  manifest.json, and report/ (unless --no-report). The job file is checked completely",
        "  before Spark starts."})
public final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "JOB", description = "the job file (JSON)")
  Path jobFile;

  @Option(names = "--output", paramLabel = "DIR", description = "override the job file's output directory")
  String output;

  @Option(names = "--no-report", description = "do not write report/ at the end (see the report command)")
  boolean noReport;

  @Option(names = "--resume", description = {"continue an interrupted sweep: skip the runs whose cohort was",
      "committed, restart the others from their last checkpoint (a plain run starts clean)"})
  boolean resume;

  @Override
  public Integer call() throws Exception {
    JobSpec job = JobLoader.load(jobFile);
    if (output != null) {
      job = job.withOutput(output);
    }
    JobRunner.plan(job); // every run is valid and distinct before Spark starts
    SparkSession spark = SparkSession.builder().appName("adaspark " + job.name()).getOrCreate();
    PrintStream log = System.err;
    JobRunner.Outcome outcome = JobRunner.run(spark, job, log,
        resume ? JobRunner.Options.resuming() : JobRunner.Options.DEFAULT);
    printTable(System.out, outcome);
    if (noReport) return 0;
    try {
      System.out.println("report: " + Report.write(spark, outcome.outputDir().toString(), log));
    } catch (Exception e) {
      // The job's outputs are complete; only the report is missing.
      log.println("error: report failed (" + Errors.describe(e) + "); the outputs are complete, retry with: report "
          + outcome.outputDir());
      return 1;
    }
    return 0;
  }

  static void printTable(PrintStream out, JobRunner.Outcome outcome) {
    out.printf("%-16s %-10s %-10s %10s %12s %12s %9s %9s%n", "run", "optimizer", "status", "lr",
        "train_loss", "test_loss", "test_acc", "seconds");
    for (RunResult r : outcome.runs()) {
      MetricRow m = r.finalEval();
      out.printf("%-16s %-10s %-10s %10.3g %12s %12s %9s %9.2f%n", r.runId(),
          r.spec().optimizer().typeName(), r.status(), r.spec().optimizer().lr(),
          fmt(m == null ? null : m.trainLoss(), "%.6f"), fmt(m == null ? null : m.testLoss(), "%.6f"),
          fmt(m == null ? null : m.testAccuracy(), "%.4f"), r.wallMs() / 1000.0);
    }
    long diverged = outcome.runs().stream().filter(r -> r.status().equals("diverged")).count();
    out.printf("%d runs (%d diverged, %d reused from a previous attempt) in %d cohorts%n", outcome.runs().size(),
        diverged, outcome.reused(), outcome.cohorts());
    long stopped = outcome.runs().stream().filter(r -> r.status().equals("stopped")).count();
    if (stopped > 0) {
      long spent = outcome.runs().stream().mapToLong(RunResult::stepsDone).sum();
      out.printf("%d runs stopped at a rung of the scheduler; run-steps trained: %d%n", stopped, spent);
    }
    out.println("output: " + outcome.outputDir());
  }

  private static String fmt(Double v, String f) {
    return v == null ? "-" : String.format(f, v);
  }
}
