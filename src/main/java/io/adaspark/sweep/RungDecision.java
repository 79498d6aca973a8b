package io.adaspark.sweep;

import java.io.Serializable;
import java.util.List;

/**
 * The decisions taken at one rung step: for every bracket with a rung there, its live
 * configurations in rank order and how many continue. Committed to the work directory like a
 * cohort ({@code rungs/<step>.bin}), so that {@code --resume} replays it instead of deciding again.
 */
record RungDecision(long step, List<Ranking> rankings) implements Serializable {
  /** One bracket's ranking at its rung {@code rung}; the first {@code kept} entries continue. */
  record Ranking(int bracket, int rung, List<Entry> entries, int kept) implements Serializable {}

  /**
   * A configuration at the rung: its index, tie-breaking run id, the median over its seeds of
   * the metric (a diverged seed counted as the worst value), and whether a seed diverged.
   */
  record Entry(int config, String tieId, double median, boolean diverged) implements Serializable {}
}
