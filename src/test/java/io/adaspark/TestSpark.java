package io.adaspark;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/** One real local[2] SparkSession for the whole test JVM, and paths to shared test inputs. */
public final class TestSpark {
  private TestSpark() {}

  public static synchronized SparkSession session() {
    return SparkSession.builder()
        .master("local[2]")
        .appName("adaspark-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
  }

  /** The project directory (where pom.xml is). */
  public static Path basedir() {
    return Path.of(System.getProperty("adaspark.basedir", ".")).toAbsolutePath().normalize();
  }

  /**
   * The reference trajectories shipped with the tests: {@code src/test/resources/golden}
   * (torch.optim classic set) or {@code golden-modern}; their READMEs state the provenance.
   */
  public static Path goldenDir(String set) {
    return basedir().resolve("src/test/resources").resolve(set);
  }

  /** The classic golden trajectories ({@code src/test/resources/golden}). */
  public static Path golden() {
    return goldenDir("golden");
  }

  /** A dataset shipped in data/. */
  public static Path data(String file) {
    return basedir().resolve("data").resolve(file);
  }
}
