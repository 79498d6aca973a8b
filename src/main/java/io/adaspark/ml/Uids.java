package io.adaspark.ml;

import org.apache.spark.ml.util.Identifiable$;

/**
 * The uid of a Spark ML object written in Java. Spark's superclass constructors create the
 * shared Params ({@code featuresCol}, ...) before a Java subclass's fields are assigned, and a
 * Param takes its parent's uid when it is created: so {@code uid()} must already answer during
 * the superclass constructor. The uid to use is handed over on the constructing thread
 * ({@link #next}) and read the first time {@code uid()} is called.
 */
final class Uids {
  private Uids() {}

  private static final ThreadLocal<String> PENDING = new ThreadLocal<>();

  /** Sets the uid of the next object constructed on this thread; returns it (for a constructor argument). */
  static String next(String uid) {
    PENDING.set(uid);
    return uid;
  }

  /** The pending uid (consumed), or a fresh random one with this prefix. */
  static String take(String prefix) {
    String u = PENDING.get();
    PENDING.remove();
    return u != null ? u : Identifiable$.MODULE$.randomUID(prefix);
  }
}
