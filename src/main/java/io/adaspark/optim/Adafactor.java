package io.adaspark.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.annotation.JsonValue;
import io.adaspark.check.Checks;
import io.adaspark.check.InvalidValueException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Adafactor (Shazeer &amp; Stern 2018, <i>Adafactor: Adaptive Learning Rates with Sublinear Memory
 * Cost</i>), as {@code torch.optim.Adafactor} (PyTorch &gt;= 2.5, {@code _single_tensor_adafactor}):
 * Adam without a first moment, whose second moment of a matrix block is factored into a row and
 * a column vector, with a step relative to the block's RMS and update clipping.
 *
 * <p>Per parameter block B (its own state, one shared t), in the notation of
 * {@code golden-modern/README.md}:
 * <pre>
 *   w_t = t^beta2_decay;   ρ_t = min(η, 1/√t)
 *   α_B = max(eps2, ‖θ_B‖/√numel_B)·ρ_t                   (RMS BEFORE the weight decay)
 *   θ_B ← θ_B·(1 − η·weight_decay)                        (η, not ρ_t; only if weight_decay ≠ 0)
 *   2-D [R, C]:  Rv ← lerp(Rv, ‖g[r,:]‖²/C, w_t);  Cv ← lerp(Cv, ‖g[:,c]‖²/R, w_t)
 *                V[r][c] = Rv[r]·Cv[c] / max(mean(Rv), eps1)
 *   1-D:         Vb ← lerp(Vb, g·g, w_t);  V = Vb
 *   U = g / √max(V, eps1²)
 *   c_B = max(1, ‖U‖/(√numel_B·d));   θ_B ← θ_B + (−α_B/c_B)·U
 * </pre>
 * {@code lerp} is torch's ({@link Params#lerp}); {@code w_1 = 1}, so the first moments equal the
 * first squared gradients and a 1-D block's first step is {@code α·sign(g)}. η (the schedule's
 * learning rate) only caps the relative step ρ_t and scales the decay. Blocks of more than two
 * dimensions are factored over their last two (one row/column pair per leading index), as torch does.
 *
 * <p>The blocks are the {@link ParamBlocks} given to {@link Config#create(ParamBlocks)};
 * {@link Config#create(int)} treats the whole vector as one 1-D block (no factoring).
 *
 * <p>Where references differ: {@code optax.adafactor} factors only blocks with two dims &gt;= 128,
 * adds 1e-30 to g², has no relative step ρ_t, multiplies by the block RMS and adds the decay to the
 * update; the paper and other frameworks put eps1 into the moments, torch clamps the row mean and V.
 * Followed: torch.
 *
 * <p>Defaults (torch's): {@code lr} 1e-2, {@code beta2_decay} −0.8, {@code eps} [eps1, eps2] =
 * [2.220446049250313e-16 (torch's None: the float64 machine epsilon), 1e-3], {@code d} 1,
 * {@code weight_decay} 0. Memory: O(R + C) doubles for an R×C block (Rv, Cv) and 1 per parameter of
 * a vector block; {@link #stateSizePerParam()} reports the vector bound, 1.
 */
public final class Adafactor extends AbstractOptimizer<Adafactor.Config> {

  /** torch's {@code eps = (eps1, eps2)}, written to JSON as {@code [eps1, eps2]}. */
  public record Eps(double eps1, double eps2) implements Serializable {
    /** torch's default with {@code eps1 = None} resolved to the float64 machine epsilon. */
    public static final Eps DEFAULT = new Eps(Math.ulp(1.0), 1e-3);

    @JsonValue
    double[] toArray() {
      return new double[] {eps1, eps2};
    }
  }

  /** Hyper-parameters of {@link Adafactor}; JSON type {@code adafactor}. */
  @JsonTypeName("adafactor")
  public record Config(double lr, @JsonProperty("beta2_decay") double beta2Decay, Eps eps, double d,
                       @JsonProperty("weight_decay") double weightDecay) implements OptimizerConfig {
    static final String TYPE = "adafactor";

    public Config {
      Checks.positive(TYPE, "lr", lr);
      if (!(beta2Decay <= 0)) {
        throw new InvalidValueException(TYPE, "beta2_decay", "a number <= 0", Checks.show(beta2Decay));
      }
      Checks.nonNegative(TYPE, "eps[0]", eps.eps1());
      Checks.nonNegative(TYPE, "eps[1]", eps.eps2());
      Checks.positive(TYPE, "d", d);
      Checks.nonNegative(TYPE, "weight_decay", weightDecay);
    }

    /** JSON factory: absent or null fields take torch's defaults. */
    @JsonCreator
    public static Config fromJson(@JsonProperty("lr") Double lr, @JsonProperty("beta2_decay") Double beta2Decay,
                                  @JsonProperty("eps") double[] eps, @JsonProperty("d") Double d,
                                  @JsonProperty("weight_decay") Double weightDecay) {
      Eps e = Eps.DEFAULT;
      if (eps != null) {
        if (eps.length != 2) throw new InvalidValueException(TYPE, "eps", "a pair [eps1, eps2]", eps.length + " values");
        e = new Eps(eps[0], eps[1]);
      }
      return new Config(Params.or(lr, 1e-2), Params.or(beta2Decay, -0.8), e, Params.or(d, 1.0),
          Params.or(weightDecay, 0));
    }

    @Override
    public String typeName() {
      return TYPE;
    }

    @Override
    public int stateSizePerParam() {
      return 1;
    }

    @Override
    public Adafactor create(int numParams) {
      return create(ParamBlocks.single(numParams));
    }

    @Override
    public Adafactor create(ParamBlocks layout) {
      return new Adafactor(this, layout);
    }
  }

  /** Where one block's state lives: factored (lead × R rows, lead × C columns) or a full vector. */
  private record Slot(int offset, int size, boolean factored, int lead, int rows, int cols, int rowOff, int colOff,
                      int fullOff) {}

  private final List<Slot> slots = new ArrayList<>();
  private final double beta2Decay;
  private final double eps1;
  private final double eps2;
  private final double dClip;
  private final double wd;
  private final double[] rowVar;
  private final double[] colVar;
  private final double[] variance;
  private final double[] clip;

  private Adafactor(Config config, ParamBlocks layout) {
    super(config, layout.numParams());
    beta2Decay = config.beta2Decay();
    eps1 = config.eps().eps1();
    eps2 = config.eps().eps2();
    dClip = config.d();
    wd = config.weightDecay();
    int rowsTotal = 0;
    int colsTotal = 0;
    int fullTotal = 0;
    for (ParamBlocks.Block b : layout.blocks()) {
      if (b.dims() >= 2) {
        int r = b.dim(b.dims() - 2);
        int c = b.dim(b.dims() - 1);
        int lead = b.size() / (r * c);
        slots.add(new Slot(b.offset(), b.size(), true, lead, r, c, rowsTotal, colsTotal, -1));
        rowsTotal += lead * r;
        colsTotal += lead * c;
      } else {
        slots.add(new Slot(b.offset(), b.size(), false, 1, 0, 0, -1, -1, fullTotal));
        fullTotal += b.size();
      }
    }
    rowVar = rowsTotal > 0 ? buffer("row_var", rowsTotal, 0) : new double[0];
    colVar = colsTotal > 0 ? buffer("col_var", colsTotal, 0) : new double[0];
    variance = fullTotal > 0 ? buffer("variance", fullTotal, 0) : new double[0];
    clip = new double[layout.size()];
  }

  /** Doubles of state actually kept for this layout: Σ (R + C) over factored blocks plus the vector blocks' sizes. */
  public int stateSize() {
    return rowVar.length + colVar.length + variance.length;
  }

  @Override
  public void step(double[] theta, double[] grad, double lr) {
    begin(theta, grad);
    double tf = (double) t;
    double w = Math.pow(tf, beta2Decay);
    double rho = Math.min(lr, 1 / Math.pow(tf, 0.5));
    for (int k = 0; k < slots.size(); k++) {
      Slot s = slots.get(k);
      int off = s.offset();
      int len = s.size();
      double alpha = Math.max(eps2, Params.norm(theta, off, len) / Math.pow(len, 0.5)) * rho;
      if (wd != 0) {
        double shrink = 1 - lr * wd;
        for (int i = off; i < off + len; i++) theta[i] = theta[i] * shrink;
      }
      // U is computed twice (for its norm, then for the update), so no scratch vector is needed.
      double uu = 0;
      if (s.factored()) {
        int r = s.rows();
        int c = s.cols();
        for (int l = 0; l < s.lead(); l++) {
          int base = off + l * r * c;
          int ro = s.rowOff() + l * r;
          int co = s.colOff() + l * c;
          for (int i = 0; i < r; i++) {
            double nr = Params.norm(grad, base + i * c, c);
            rowVar[ro + i] = Params.lerp(rowVar[ro + i], nr * nr / c, w);
          }
          for (int j = 0; j < c; j++) {
            double sq = 0;
            for (int i = 0; i < r; i++) {
              double g = grad[base + i * c + j];
              sq += g * g;
            }
            double nc = Math.sqrt(sq);
            colVar[co + j] = Params.lerp(colVar[co + j], nc * nc / r, w);
          }
        }
        for (int l = 0; l < s.lead(); l++) {
          double mean = rowMean(s, l);
          for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
              double u = factoredU(s, l, i, j, mean, grad);
              uu += u * u;
            }
          }
        }
      } else {
        int fo = s.fullOff();
        for (int i = 0; i < len; i++) {
          double g = grad[off + i];
          variance[fo + i] = Params.lerp(variance[fo + i], g * g, w);
          double u = 1 / Math.sqrt(Math.max(variance[fo + i], eps1 * eps1)) * g;
          uu += u * u;
        }
      }
      double denom = Math.max(1.0, Math.sqrt(uu) / (Math.pow(len, 0.5) * dClip));
      clip[k] = denom;
      double a = -alpha / denom;
      if (s.factored()) {
        int r = s.rows();
        int c = s.cols();
        for (int l = 0; l < s.lead(); l++) {
          double mean = rowMean(s, l);
          for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
              int p = off + l * r * c + i * c + j;
              theta[p] = theta[p] + a * factoredU(s, l, i, j, mean, grad);
            }
          }
        }
      } else {
        int fo = s.fullOff();
        for (int i = 0; i < len; i++) {
          double u = 1 / Math.sqrt(Math.max(variance[fo + i], eps1 * eps1)) * grad[off + i];
          theta[off + i] = theta[off + i] + a * u;
        }
      }
    }
  }

  /** max(mean(Rv), eps1) of leading index l. */
  private double rowMean(Slot s, int l) {
    int ro = s.rowOff() + l * s.rows();
    double sum = 0;
    for (int i = 0; i < s.rows(); i++) sum += rowVar[ro + i];
    return Math.max(sum / s.rows(), eps1);
  }

  /** U[i][j] = g / √max(Rv[i]·Cv[j]/rowMean, eps1²) of a factored block. */
  private double factoredU(Slot s, int l, int i, int j, double rowMean, double[] grad) {
    double v = rowVar[s.rowOff() + l * s.rows() + i] * colVar[s.colOff() + l * s.cols() + j] / rowMean;
    return 1 / Math.sqrt(Math.max(v, eps1 * eps1)) * grad[s.offset() + l * s.rows() * s.cols() + i * s.cols() + j];
  }

  /** The clipping denominator max(1, RMS(U_B)/d) of each block in the last step. */
  @Override
  public Map<String, double[]> lastStep() {
    return Map.of("clip_denom", clip.clone());
  }
}
