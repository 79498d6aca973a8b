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

  /** The shared folder beside the checkout (golden files, datasets). */
  public static Path shared() {
    return Path.of(System.getProperty("adaspark.shared", "../shared")).toAbsolutePath().normalize();
  }

  /** A dataset shipped in data/. */
  public static Path data(String file) {
    return basedir().resolve("data").resolve(file);
  }
}
