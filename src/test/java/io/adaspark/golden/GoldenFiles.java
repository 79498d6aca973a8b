package io.adaspark.golden;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** The golden files under {@code src/test/resources/golden}, discovered at test time and read once. */
final class GoldenFiles {
  private GoldenFiles() {}

  private static final Map<Path, GoldenFile> CACHE = new ConcurrentHashMap<>();

  static Path dir() {
    return io.adaspark.TestSpark.golden();
  }

  static List<Path> paths() {
    try (Stream<Path> s = Files.list(dir())) {
      List<Path> l = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
      if (l.isEmpty()) throw new IllegalStateException("no golden files in " + dir());
      return l;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static GoldenFile read(Path p) {
    return CACHE.computeIfAbsent(p, GoldenFile::read);
  }
}
