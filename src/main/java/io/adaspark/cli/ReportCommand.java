package io.adaspark.cli;

import io.adaspark.report.Report;
import io.adaspark.report.ReportInputException;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code report DIR...}: the report of finished or partial job outputs (index.md, PNG figures,
 * CSV tables), read from their Parquet tables with Spark.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Write a report of one or more job outputs (<output>/<job>): report/index.md with",
        "  summary tables and definitions, PNG figures (loss, suboptimality, accuracy, lr,",
        "  sensitivity, performance profiles) and CSV tables. Works on partial outputs."})
public final class ReportCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "DIR", description = "job output directories (any Hadoop file-system URI)")
  List<String> dirs;

  @Option(names = "--to", paramLabel = "DIR",
      description = "where to write the report (default <DIR>/report; required for several DIRs)")
  String to;

  @Override
  public Integer call() throws Exception {
    SparkSession spark = SparkSession.builder().appName("adaspark report").getOrCreate();
    try {
      Path index = Report.write(spark, dirs, to, System.err);
      System.out.println("report: " + index);
      return 0;
    } catch (ReportInputException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    }
  }
}
