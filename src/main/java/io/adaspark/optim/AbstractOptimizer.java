package io.adaspark.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Bookkeeping shared by the optimizers: the config, the parameter count, the step count and the
 * named per-parameter state buffers, with {@link #saveState()} / {@link #restoreState} built on
 * them. Subclasses allocate their buffers once in the constructor with {@link #buffer} and keep
 * the update rule itself in {@link #step}. Buffers are n-sized ({@link #buffer(String, double)}) or
 * of their own size ({@link #buffer(String, int, double)}); scalar state (Prodigy's d, Schedule-Free's
 * weight sum, ...) goes through {@link #scalars()} / {@link #restoreScalars}.
 */
abstract class AbstractOptimizer<C extends OptimizerConfig> implements Optimizer {
  private final C config;
  /** Number of parameters. */
  protected final int n;
  /** Step count t: 0 before the first step, 1 during and after it. */
  protected long t;
  private final Map<String, double[]> buffers = new LinkedHashMap<>();

  protected AbstractOptimizer(C config, int numParams) {
    this.config = Objects.requireNonNull(config, "config");
    if (numParams < 0) {
      throw new IllegalArgumentException(config.typeName() + ": numParams must be >= 0, got " + numParams);
    }
    this.n = numParams;
  }

  /** Registers a state buffer of {@code n} doubles, all {@code initial}, under a torch-like name. */
  protected final double[] buffer(String name, double initial) {
    return buffer(name, n, initial);
  }

  /**
   * Registers a state buffer of {@code size} doubles (not tied to the parameter count, e.g.
   * Adafactor's factored row and column moments), all {@code initial}. Saved and restored like
   * the n-sized buffers; a saved buffer must have the same size.
   */
  protected final double[] buffer(String name, int size, double initial) {
    double[] b = new double[size];
    if (initial != 0) java.util.Arrays.fill(b, initial);
    if (buffers.putIfAbsent(name, b) != null) throw new IllegalStateException("duplicate buffer " + name);
    return b;
  }

  /** Checks the sizes and advances t; the first line of every {@link #step}. */
  protected final void begin(double[] theta, double[] grad) {
    if (theta.length != n || grad.length != n) {
      throw new IllegalArgumentException(config.typeName() + ": expected " + n
          + " parameters, got theta of " + theta.length + " and grad of " + grad.length);
    }
    t++;
  }

  @Override
  public final C config() {
    return config;
  }

  @Override
  public final long stepCount() {
    return t;
  }

  /** Scalar state beyond t (e.g. NAdam's running product of mu); empty by default. */
  protected Map<String, Double> scalars() {
    return Map.of();
  }

  /** Sets the scalars named by {@link #scalars()} (keys already checked). */
  protected void restoreScalars(Map<String, Double> scalars) {}

  @Override
  public final OptimizerState saveState() {
    return new OptimizerState(config.typeName(), t, buffers, scalars());
  }

  @Override
  public final void restoreState(OptimizerState state) {
    String me = config.typeName();
    if (!me.equals(state.type())) {
      throw new IllegalArgumentException("cannot restore " + me + " state from a saved '" + state.type() + "' state");
    }
    if (!state.buffers().keySet().equals(new java.util.TreeSet<>(buffers.keySet()))) {
      throw new IllegalArgumentException("cannot restore " + me + " state: saved buffers "
          + state.buffers().keySet() + ", this configuration needs " + new java.util.TreeSet<>(buffers.keySet()));
    }
    if (!state.scalars().keySet().equals(new java.util.TreeSet<>(scalars().keySet()))) {
      throw new IllegalArgumentException("cannot restore " + me + " state: saved scalars "
          + state.scalars().keySet() + ", expected " + new java.util.TreeSet<>(scalars().keySet()));
    }
    if (state.step() < 0) {
      throw new IllegalArgumentException("cannot restore " + me + " state: step must be >= 0, got " + state.step());
    }
    state.buffers().forEach((name, saved) -> {
      int size = buffers.get(name).length;
      if (saved.length != size) {
        throw new IllegalArgumentException("cannot restore " + me + " state: buffer '" + name + "' has "
            + saved.length + " values, " + (size == n ? "this optimizer has " + n + " parameters"
            : "this optimizer's layout needs " + size));
      }
    });
    state.buffers().forEach((name, saved) -> System.arraycopy(saved, 0, buffers.get(name), 0, saved.length));
    t = state.step();
    restoreScalars(state.scalars());
  }
}
