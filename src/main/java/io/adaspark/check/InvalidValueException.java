package io.adaspark.check;

/**
 * A hyper-parameter or job-file value outside its allowed range.
 *
 * <p>{@link #getMessage()} reads like torch.optim's argument checks, e.g.
 * {@code adam: betas[1] must be in [0, 1), got 1.5}. The job-file loader uses {@link #field()}
 * and {@link #expected()} to name the full JSON path instead:
 * {@code optimizers[0].betas[1]: expected a number in [0, 1), got 1.5 (adam)}.
 */
public class InvalidValueException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String owner;
  private final String field;
  private final String expected;
  private final String actual;

  /**
   * @param owner what the value belongs to, e.g. {@code adam} (may be empty)
   * @param field the field, relative to the owner, e.g. {@code betas[1]}
   * @param expected what was expected, phrased to follow "expected", e.g. {@code a number > 0}
   * @param actual the value found, as it should be shown (strings quoted by the caller)
   */
  public InvalidValueException(String owner, String field, String expected, String actual) {
    super((owner.isEmpty() ? "" : owner + ": ") + field + " must be " + stripArticle(expected)
        + ", got " + actual);
    this.owner = owner;
    this.field = field;
    this.expected = expected;
    this.actual = actual;
  }

  private static String stripArticle(String expected) {
    // "a number in [0, 1)" -> "in [0, 1)"; "a number > 0" -> "> 0"; "one of ..." stays.
    if (expected.startsWith("a number ")) return expected.substring("a number ".length());
    if (expected.startsWith("an integer ")) return "an integer " + expected.substring("an integer ".length());
    return expected;
  }

  public String owner() { return owner; }
  public String field() { return field; }
  public String expected() { return expected; }
  public String actual() { return actual; }
}
