package io.adaspark.metrics;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.AbstractConfiguration;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.filter.AbstractFilter;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * The driver's log of one {@code run}: every log event at WARN and above, with full stack
 * traces, goes to {@code <output>/.<name>.work/driver.log} (the job's work directory, which a
 * failed job keeps for {@code --resume}; a temporary file when the output is not on the local
 * file system), and the task-failure reports are kept off the console.
 *
 * <p>A task that fails on bad data makes Spark print 40-160 lines before adaspark's one line:
 * {@code ERROR Executor: Exception in task} with the executor's stack, {@code WARN
 * TaskSetManager: Lost task} with the same stack as text, {@code ERROR TaskSetManager: ...
 * aborting job}. While the log is open, events of the loggers in {@link #QUIET} are denied by
 * every console appender (a filter added to each, removed by {@link #close}) and reach the file
 * only. Everything else — e.g. {@code ERROR TaskSchedulerImpl: Lost executor 1 ...} — still
 * shows on the console.
 *
 * <p>The command decides what stays: after a bad input (exit code 2, whose one line says it all)
 * or a success the file is deleted, with the directories it created when they are left empty;
 * after any other failure it stays, the driver's exception is appended with its stack, and the
 * error line names the file.
 */
public final class DriverLog implements AutoCloseable {
  /** The log's file name in the work directory (kept when a fresh sweep clears the directory). */
  public static final String FILE_NAME = "driver.log";

  /** Loggers whose events go to the file only: Spark's task-failure reports, and this class. */
  static final Set<String> QUIET = Set.of("org.apache.spark.executor.Executor",
      "org.apache.spark.scheduler.TaskSetManager", DriverLog.class.getName());

  private static final String APPENDER = "adaspark-driver-log";

  private final Path file;
  /** The work directory and the directories created for it, innermost first: removed when left empty. */
  private final List<Path> dirs;
  private final LoggerContext ctx;
  private final FileAppender appender;
  private final Filter filter;
  private final List<ConsoleAppender> consoles = new ArrayList<>();
  private boolean keep;

  private DriverLog(Path file, List<Path> dirs, LoggerContext ctx, FileAppender appender, Filter filter) {
    this.file = file;
    this.dirs = dirs;
    this.ctx = ctx;
    this.appender = appender;
    this.filter = filter;
  }

  /**
   * Opens the driver log of job {@code name} writing to {@code output} (appending when
   * {@code resume}, else starting it afresh). Returns a log that records nothing when log4j 2 is
   * not Spark's logging backend or the file cannot be created.
   */
  public static DriverLog open(String output, String name, boolean resume) {
    Path file;
    List<Path> dirs = new ArrayList<>();
    try {
      Path dir = localDir(output);
      if (dir != null) {
        Path work = dir.resolve("." + name + ".work");
        dirs.add(work);
        for (Path d = work.getParent(); d != null && !Files.exists(d); d = d.getParent()) dirs.add(d);
        Files.createDirectories(work);
        file = work.resolve(FILE_NAME);
      } else {
        file = Files.createTempFile("adaspark-" + name + "-", "-" + FILE_NAME);
      }
    } catch (IOException | RuntimeException e) {
      return new DriverLog(null, List.of(), null, null, null);
    }
    if (!(LogManager.getContext(false) instanceof LoggerContext ctx)) {
      return new DriverLog(file, dirs, null, null, null).discard();
    }
    Configuration config = ctx.getConfiguration();
    FileAppender appender = FileAppender.newBuilder()
        .setName(APPENDER)
        .withFileName(file.toString())
        .withAppend(resume)
        .withImmediateFlush(true)
        .setLayout(PatternLayout.newBuilder().withPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %p [%t] %c: %m%n")
            .withConfiguration(config).build())
        .setConfiguration(config)
        .build();
    appender.start();
    config.addAppender(appender);
    config.getRootLogger().addAppender(appender, Level.WARN, null);
    DriverLog log = new DriverLog(file, dirs, ctx, appender, new QuietFilter());
    log.filter.start();
    for (Appender a : config.getAppenders().values()) {
      if (a instanceof ConsoleAppender c) {
        c.addFilter(log.filter);
        log.consoles.add(c);
      }
    }
    ctx.updateLoggers();
    return log;
  }

  /** The local directory of an output URI (a plain path or {@code file:}); null for other file systems. */
  static Path localDir(String output) {
    URI u = new org.apache.hadoop.fs.Path(output).toUri();
    if (u.getScheme() != null && !u.getScheme().equals("file")) return null;
    return Path.of(u.getPath()).toAbsolutePath();
  }

  /** The file, or null when nothing is recorded. */
  public Path file() {
    return appender == null ? null : file;
  }

  /** Records a failure that is not bad input, with its stack; the file stays after {@link #close}. */
  public void failed(Throwable t) {
    if (appender == null) return;
    LogManager.getLogger(DriverLog.class).error("the run failed", t);
    keep = true;
  }

  private DriverLog discard() {
    delete();
    return new DriverLog(null, List.of(), null, null, null);
  }

  /** Stops recording; deletes the file unless {@link #failed} was called. */
  @Override
  public void close() {
    if (appender != null) {
      Configuration config = ctx.getConfiguration();
      for (ConsoleAppender c : consoles) c.removeFilter(filter);
      config.getRootLogger().removeAppender(APPENDER);
      if (config instanceof AbstractConfiguration ac) ac.removeAppender(APPENDER);
      ctx.updateLoggers();
      appender.stop();
    }
    if (!keep && file != null) delete();
  }

  private void delete() {
    try {
      Files.deleteIfExists(file);
      for (Path d : dirs) {
        try (var s = Files.list(d)) {
          if (s.findAny().isPresent()) break;
        }
        Files.delete(d);
      }
    } catch (IOException e) {
      // a stray log file or empty directory is harmless
    }
  }

  /** Denies the events of the {@link #QUIET} loggers (on the console appenders it is added to). */
  private static final class QuietFilter extends AbstractFilter {
    QuietFilter() {
      super(Filter.Result.DENY, Filter.Result.NEUTRAL);
    }

    @Override
    public Filter.Result filter(LogEvent event) {
      return QUIET.contains(event.getLoggerName()) ? onMatch : onMismatch;
    }
  }
}
