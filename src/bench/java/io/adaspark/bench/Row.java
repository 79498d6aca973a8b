package io.adaspark.bench;

import java.util.List;

/**
 * One benchmark row as data: its id (BENCHMARKS.md's number; {@code variant} tells apart the
 * figures one id has, as row 4's K = 8 and K = 32), its title and unit, its goal, the subject
 * (adaspark) and anchor sides, sides measured beside them in the same rounds and reported in the
 * detail ({@code also}), and what one round of each side is ({@code round}). Every row is
 * measured by the same method, {@link PairedRounds}.
 */
record Row(String id, String variant, String title, String unit, Goal goal, Side subject, Side anchor,
           List<Side> also, String round) {
  Row {
    also = List.copyOf(also);
  }

  /** The sides in the order a round measures them: subject, anchor, then the others. */
  List<Side> sides() {
    List<Side> s = new java.util.ArrayList<>(List.of(subject, anchor));
    s.addAll(also);
    return s;
  }
}
