package io.adaspark.bench;

/**
 * One side of a benchmark row: a named action on the {@link Fixture} whose one call is one round
 * of that side, returning the round's figure (seconds per step, per iteration, per pass, or
 * bytes). {@code key} names it in bench.json; {@code what} says what it measures (bench.md).
 */
record Side(String key, String what, Action action) {
  /** One round of a side; figures beside the main one go into {@code notes}. */
  @FunctionalInterface
  interface Action {
    double once(Fixture fixture, Notes notes);
  }
}
