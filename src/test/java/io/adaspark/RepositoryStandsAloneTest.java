package io.adaspark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository stands alone: no source, test, script, build file, job or document refers to
 * a folder beside the checkout (the hand-over folder next to it) or to an absolute path of one machine, and
 * every test input the tests resolve lies inside the repository.
 */
class RepositoryStandsAloneTest {
  /** The hand-over folder beside the checkout, its golden/datasets paths, a machine's absolute work path, the old property. */
  static final Pattern OUTSIDE = Pattern.compile(
      "\\.\\./shared|(?<![\\w.-])shared/(golden|datasets|optimizer-notes)|/work/|adaspark\\.shared");

  static List<Path> scanned(Path root) throws IOException {
    List<Path> files = new ArrayList<>();
    for (String top : List.of("src", "jobs", "conf", ".ci", "docs")) {
      Path dir = root.resolve(top);
      if (!Files.isDirectory(dir)) continue;
      try (Stream<Path> s = Files.walk(dir)) {
        s.filter(Files::isRegularFile)
            .filter(p -> p.toString().matches(".*\\.(java|json|properties|conf|md|sh|xml|txt)$") || p.endsWith("run"))
            // the golden READMEs are the generators' own text, which names the hand-over folder
            .filter(p -> !p.startsWith(root.resolve("src/test/resources/golden"))
                && !p.startsWith(root.resolve("src/test/resources/golden-modern")))
            .filter(p -> !p.endsWith("RepositoryStandsAloneTest.java"))
            .forEach(files::add);
      }
    }
    for (String f : List.of("pom.xml", "submit.sh", "README.md", "BENCHMARKS.md")) {
      if (Files.exists(root.resolve(f))) files.add(root.resolve(f));
    }
    return files;
  }

  @Test
  void noFileReferencesAFolderOutsideTheRepository() throws IOException {
    Path root = TestSpark.basedir();
    List<String> hits = new ArrayList<>();
    for (Path f : scanned(root)) {
      List<String> lines = Files.readAllLines(f);
      for (int i = 0; i < lines.size(); i++) {
        if (OUTSIDE.matcher(lines.get(i)).find()) hits.add(root.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).trim());
      }
    }
    assertEquals(List.of(), hits, "references to files outside the repository");
  }

  @Test
  void thePatternCatchesWhatItMustAndNotPlainWords() {
    // built by concatenation, so that this file itself holds none of the strings it looks for
    assertTrue(OUTSIDE.matcher("Path.of(\"." + "./shared/golden\")").find());
    assertTrue(OUTSIDE.matcher("System.getProperty(\"adaspark" + ".shared\")").find());
    assertTrue(OUTSIDE.matcher("Path.of(\"/work" + "/x\")").find());
    assertTrue(OUTSIDE.matcher("see shared/golden/README.md").find());
    assertTrue(!OUTSIDE.matcher("a cohort shares one seed; shared data").find());
  }

  @Test
  void goldenFilesAreShippedInsideTheRepository() throws IOException {
    Path root = TestSpark.basedir().toRealPath();
    for (String set : List.of("golden", "golden-modern")) {
      Path dir = TestSpark.goldenDir(set).toRealPath();
      assertTrue(dir.startsWith(root), dir + " is outside " + root);
      try (Stream<Path> s = Files.list(dir)) {
        assertTrue(s.anyMatch(p -> p.toString().endsWith(".json")), "no golden files in " + dir);
      }
      assertTrue(Files.exists(dir.resolve("README.md")), set + " has its README");
    }
  }

  @Test
  void everyExampleJobReadsDataInsideTheRepository() throws IOException {
    Path root = TestSpark.basedir().toRealPath();
    ObjectMapper m = new ObjectMapper();
    try (Stream<Path> s = Files.list(root.resolve("jobs"))) {
      for (Path job : s.filter(p -> p.toString().endsWith(".json")).toList()) {
        List<String> paths = new ArrayList<>();
        collectPaths(m.readTree(job.toFile()), paths);
        for (String p : paths) {
          Path resolved = root.resolve(p).normalize();
          assertTrue(resolved.startsWith(root), job.getFileName() + ": " + p + " lies outside the repository");
          assertTrue(Files.exists(resolved), job.getFileName() + ": " + p + " does not exist");
        }
      }
    }
  }

  private static void collectPaths(JsonNode n, List<String> out) {
    if (n.isObject()) {
      n.fields().forEachRemaining(e -> {
        if ((e.getKey().equals("path") || e.getKey().equals("test_path")) && e.getValue().isTextual()) {
          out.add(e.getValue().asText());
        } else {
          collectPaths(e.getValue(), out);
        }
      });
    } else if (n.isArray()) {
      n.forEach(c -> collectPaths(c, out));
    }
  }
}
