package io.adaspark.bench;

/** A row's goal: "≥ value× faster" ({@link Figure.Kind#FASTER}) or "≤ value× the anchor" ({@link Figure.Kind#WITHIN}). */
record Goal(Figure.Kind kind, double value) {
  static Goal faster(double value) {
    return new Goal(Figure.Kind.FASTER, value);
  }

  static Goal within(double value) {
    return new Goal(Figure.Kind.WITHIN, value);
  }
}
