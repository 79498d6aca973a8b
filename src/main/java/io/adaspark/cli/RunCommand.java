package io.adaspark.cli;

import io.adaspark.config.JobLoader;
import io.adaspark.config.JobSpec;
import io.adaspark.metrics.DriverLog;
import io.adaspark.report.Report;
import io.adaspark.sweep.JobRunner;
import io.adaspark.sweep.SweepPlan;
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
    SweepPlan.plan(job); // every run is valid and distinct before Spark starts
    // Spark's task-failure reports go to <output>/.<name>.work/driver.log, not the console (DriverLog).
    DriverLog driverLog = DriverLog.open(job.output(), job.name(), resume);
    try {
      return run(job, driverLog);
    } catch (Exception | Error e) {
      if (Errors.exitCode(e) == 2 || driverLog.file() == null) throw e;
      driverLog.failed(e);
      throw new Errors.Logged(e, driverLog.file());
    } finally {
      driverLog.close();
    }
  }

  private int run(JobSpec job, DriverLog driverLog) throws Exception {
    SparkSession spark = SparkSession.builder().appName("adaspark " + job.name()).getOrCreate();
    PrintStream log = System.err;
    JobRunner.Outcome outcome = JobRunner.run(spark, job, log,
        resume ? JobRunner.Options.resuming() : JobRunner.Options.DEFAULT);
    printTable(System.out, outcome, job);
    if (noReport) return 0;
    try {
      System.out.println("report: " + Report.write(spark, outcome.outputDir().toString(), log));
    } catch (Exception e) {
      // The job's outputs are complete; only the report is missing.
      driverLog.failed(e);
      log.println("error: report failed (" + Errors.describe(e) + "); the outputs are complete, retry with: report "
          + outcome.outputDir() + (driverLog.file() == null ? "" : " (full log: " + driverLog.file() + ")"));
      return 1;
    }
    return 0;
  }

  /**
   * One line per run. With model or training variants (grids over {@code l2}, {@code batch_size}
   * ...) a {@code variant} column names the run's; with a validation split, {@code val_loss}.
   */
  static void printTable(PrintStream out, JobRunner.Outcome outcome, JobSpec job) {
    java.util.Map<String, String> variant = new java.util.HashMap<>();
    boolean variants = job.models().size() > 1 || job.trainings().size() > 1;
    if (variants) {
      for (io.adaspark.train.PlannedRun p : SweepPlan.plan(job)) variant.put(p.runId(), variantLabel(job, p));
    }
    boolean val = outcome.data() != null && outcome.data().validationRows() > 0;
    int vw = Math.max(7, variant.values().stream().mapToInt(String::length).max().orElse(0));
    out.printf("%-16s %-10s %-10s %10s " + (variants ? "%-" + vw + "s " : "%s") + "%12s %12s %9s " + (val ? "%12s " : "%s")
        + "%9s%n", "run", "optimizer", "status", "lr", variants ? "variant" : "", "train_loss", "test_loss", "test_acc",
        val ? "val_loss" : "", "seconds");
    for (RunResult r : outcome.runs()) {
      MetricRow m = r.finalEval();
      out.printf("%-16s %-10s %-10s %10.3g " + (variants ? "%-" + vw + "s " : "%s") + "%12s %12s %9s "
          + (val ? "%12s " : "%s") + "%9.2f%n", r.runId(),
          r.spec().optimizer().typeName(), r.status(), r.spec().optimizer().lr(),
          variants ? variant.getOrDefault(r.runId(), "") : "",
          fmt(m == null ? null : m.trainLoss(), "%.6f"), fmt(m == null ? null : m.testLoss(), "%.6f"),
          fmt(m == null ? null : m.testAccuracy(), "%.4f"),
          val ? fmt(m == null ? null : m.validationLoss(), "%.6f") : "", r.wallMs() / 1000.0);
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

  /** The swept model/training fields of a run, e.g. {@code l2=0.0001 B=16}. */
  static String variantLabel(JobSpec job, io.adaspark.train.PlannedRun p) {
    StringBuilder b = new StringBuilder();
    if (job.models().size() > 1) {
      io.adaspark.model.ModelConfig m = p.model();
      if (m instanceof io.adaspark.model.LogRegConfig lr
          && job.models().stream().allMatch(x -> x instanceof io.adaspark.model.LogRegConfig)) {
        b.append("l2=").append(plain(lr.l2()));
      } else if (m instanceof io.adaspark.model.MlpConfig mlp) {
        b.append("hidden=").append(mlp.hidden().toString().replace(" ", "")).append(" l2=")
            .append(plain(mlp.l2()));
      } else {
        b.append("model#").append(job.models().indexOf(m));
      }
    }
    if (job.trainings().size() > 1) {
      if (b.length() > 0) b.append(' ');
      b.append("B=").append(p.training().batchSize());
    }
    return b.toString();
  }

  private static String plain(double v) {
    return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }

  private static String fmt(Double v, String f) {
    return v == null ? "-" : String.format(f, v);
  }
}
