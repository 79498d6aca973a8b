package io.adaspark.optim;

/** Defaults for the nullable (boxed) parameters of the JSON factories. */
final class Params {
  private Params() {}

  static double or(Double v, double dflt) {
    return v == null ? dflt : v;
  }

  static boolean or(Boolean v, boolean dflt) {
    return v == null ? dflt : v;
  }
}
