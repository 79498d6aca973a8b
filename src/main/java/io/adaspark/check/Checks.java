package io.adaspark.check;

/** Argument checks shared by every config record; each throws {@link InvalidValueException}. */
public final class Checks {
  private Checks() {}

  public static String show(double v) {
    return (v == Math.rint(v) && Math.abs(v) < 1e15) ? Long.toString((long) v) : Double.toString(v);
  }

  private static void finite(String owner, String field, double v, String expected) {
    if (!Double.isFinite(v)) throw new InvalidValueException(owner, field, expected, Double.toString(v));
  }

  /** v > 0 and finite. */
  public static double positive(String owner, String field, double v) {
    finite(owner, field, v, "a number > 0");
    if (!(v > 0)) throw new InvalidValueException(owner, field, "a number > 0", show(v));
    return v;
  }

  /** v >= 0 and finite. */
  public static double nonNegative(String owner, String field, double v) {
    finite(owner, field, v, "a number >= 0");
    if (!(v >= 0)) throw new InvalidValueException(owner, field, "a number >= 0", show(v));
    return v;
  }

  /** lo <= v < hi. */
  public static double inClosedOpen(String owner, String field, double v, double lo, double hi) {
    String exp = "a number in [" + show(lo) + ", " + show(hi) + ")";
    finite(owner, field, v, exp);
    if (!(v >= lo && v < hi)) throw new InvalidValueException(owner, field, exp, show(v));
    return v;
  }

  /** lo <= v <= hi. */
  public static double inClosed(String owner, String field, double v, double lo, double hi) {
    String exp = "a number in [" + show(lo) + ", " + show(hi) + "]";
    finite(owner, field, v, exp);
    if (!(v >= lo && v <= hi)) throw new InvalidValueException(owner, field, exp, show(v));
    return v;
  }

  /** lo < v <= hi. */
  public static double inOpenClosed(String owner, String field, double v, double lo, double hi) {
    String exp = "a number in (" + show(lo) + ", " + show(hi) + "]";
    finite(owner, field, v, exp);
    if (!(v > lo && v <= hi)) throw new InvalidValueException(owner, field, exp, show(v));
    return v;
  }

  /** Integer >= min. */
  public static long atLeast(String owner, String field, long v, long min) {
    if (v < min) throw new InvalidValueException(owner, field, "an integer >= " + min, Long.toString(v));
    return v;
  }
}
