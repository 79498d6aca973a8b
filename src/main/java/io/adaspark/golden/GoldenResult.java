package io.adaspark.golden;

import java.util.Locale;

/**
 * The outcome of one golden case: the largest scaled error (≤ 1 passes) of the losses, the
 * gradients, the parameters (Schedule-Free: x and y), the learning rates and the recorded optimizer
 * state ({@code d}, {@code d_hat}, {@code trust_ratio}, {@code clip_denom}, {@code lr_sched},
 * {@code ckp1}) — NaN when the case records none — or the error that stopped it.
 */
public record GoldenResult(String file, String id, double loss, double grad, double params, double lr,
                           double state, String error) {
  /** A result without recorded optimizer state (classic format). */
  public GoldenResult(String file, String id, double loss, double grad, double params, double lr, String error) {
    this(file, id, loss, grad, params, lr, Double.NaN, error);
  }

  /** Every scaled error ≤ 1 and no error. */
  public boolean passed() {
    return error == null && loss <= 1 && grad <= 1 && params <= 1 && !(lr > 1) && !(state > 1);
  }

  /** One report line, e.g. {@code quadratic.json  adam_amsgrad  loss 3.1e-03  grad 0.0e+00  params 2.2e-02  PASS}. */
  public String line() {
    if (error != null) return file + "  " + id + "  ERROR  " + error;
    String lrPart = Double.isNaN(lr) ? "" : String.format(Locale.ROOT, "  lr %.1e", lr);
    String statePart = Double.isNaN(state) ? "" : String.format(Locale.ROOT, "  state %.1e", state);
    return String.format(Locale.ROOT, "%s  %s  loss %.1e  grad %.1e  params %.1e%s%s  %s", file, id, loss, grad,
        params, lrPart, statePart, passed() ? "PASS" : "FAIL");
  }
}
