package io.adaspark.cli;

import io.adaspark.golden.GoldenCase;
import io.adaspark.golden.GoldenFile;
import io.adaspark.golden.GoldenFormatException;
import io.adaspark.golden.GoldenProblem;
import io.adaspark.golden.GoldenProblems;
import io.adaspark.golden.GoldenResult;
import io.adaspark.golden.GoldenRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code adaspark golden DIR}: replays every case of the golden files (the torch.optim reference
 * trajectories of {@code golden/}, and the modern format of {@code golden-modern/}: parameter
 * blocks, Schedule-Free's two points, recorded optimizer state) with adaspark's optimizers,
 * schedules and model kernels, one line per case and a summary. Exit 0 if every case passes, 1 if some fail, 2 if a file is malformed or names an
 * unknown problem. Runs on the local JVM only (no Spark).
 */
@Command(name = "golden", mixinStandardHelpOptions = true,
    description = {"Check adaspark's optimizers against golden reference trajectories (classic and modern format).",
        "Exit status: 0 all cases pass, 1 some case fails, 2 a file is malformed or unsupported."})
public final class GoldenCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR",
      description = "Directory of golden *.json files (run in name order), or a single file.")
  Path dir;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.exists(dir)) {
      err.println("golden: no such file or directory: " + dir);
      return 2;
    }
    List<Path> files = files(dir);
    if (files.isEmpty()) {
      err.println("golden: no *.json files in " + dir);
      return 2;
    }
    int passed = 0;
    int failed = 0;
    int badFiles = 0;
    for (Path path : files) {
      GoldenFile file;
      GoldenProblem problem;
      try {
        file = GoldenFile.read(path);
        problem = GoldenProblems.of(file.root(), file.fileName());
      } catch (RuntimeException e) {
        err.println(path.getFileName() + ": " + messageWithoutFilePrefix(e, path.getFileName().toString()));
        badFiles++;
        continue;
      }
      for (GoldenCase c : file.cases()) {
        GoldenResult r = GoldenRunner.runCatching(file, c, problem);
        out.println(r.line());
        if (r.passed()) passed++; else failed++;
      }
      out.flush();
    }
    out.println((passed + failed) + " cases: " + passed + " passed, " + failed + " failed"
        + (badFiles > 0 ? "; " + badFiles + " file(s) could not be run" : ""));
    out.flush();
    return badFiles > 0 ? 2 : failed > 0 ? 1 : 0;
  }

  private static String messageWithoutFilePrefix(RuntimeException e, String fileName) {
    String m = e instanceof GoldenFormatException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
    return m.startsWith(fileName + ": ") ? m.substring(fileName.length() + 2) : m;
  }

  private static List<Path> files(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) return List.of(dir);
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p)).sorted().toList();
    }
  }

  /** Stand-alone entry point (the application's {@code Main} registers this as a sub-command). */
  public static void main(String[] args) {
    System.exit(new CommandLine(new GoldenCommand()).execute(args));
  }
}
