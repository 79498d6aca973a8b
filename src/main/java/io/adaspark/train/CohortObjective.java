package io.adaspark.train;

import io.adaspark.data.DataBlock;
import io.adaspark.data.PreparedData;
import io.adaspark.model.BinaryScorer;
import io.adaspark.model.Model;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.CoalescedRDD;
import org.apache.spark.rdd.RDD;
import scala.Option;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * The objective of a cohort of K runs over the cached blocks, in the spirit of Spark ml's
 * {@code RDDLossFunction} with its {@code DifferentiableLossAggregator}: broadcast the K
 * parameter vectors once, run the block tasks, combine their partial sums in the fixed tree of
 * {@link FixedTree} (fan-in {@code training.fan_in}; on the executors, so the driver receives at
 * most F partials, folded in index order as they arrive), normalise by the row count and add
 * the penalty. The one path of every sum over the data: the mini-batch step, the full
 * evaluations (train loss and gradient norm, test loss, accuracy and AUC), the exact optimum
 * ({@link ConvexOptimum}) and the bench. A mini-batch step on CSR blocks ships, from its
 * sampler's second step on, only the parameters its rows read ({@link #step}); full passes
 * ship the full vectors.
 *
 * <p>Normalisation, exactly as before the tree: {@code inv = 1/count}; gradient {@code g·inv}
 * plus the penalty's gradient; loss {@code sum·inv + penalty}; test loss {@code sum/count +
 * penalty}; accuracy {@code correct/count}.
 */
public final class CohortObjective {
  private final JavaSparkContext jsc;
  private final PreparedData data;
  private final Model model;
  private final int fanIn;
  private final int parallelism;
  private int taskLevel = -1;
  private int passRuns = -1;
  private boolean reuseStepGradients;
  private double[][] stepGradients;
  private final Map<String, RDD<DataBlock>> groups = new HashMap<>();

  /** Test AUC is computed exactly on the driver up to this many (test rows × runs) scores. */
  static final long MAX_AUC_SCORES = 4_000_000L;

  public CohortObjective(JavaSparkContext jsc, PreparedData data, Model model, int fanIn) {
    this(jsc, data, model, fanIn, 1);
  }

  /** @param parallelism cohorts trained at once (they share the driver's heap, {@link PassMemory}) */
  public CohortObjective(JavaSparkContext jsc, PreparedData data, Model model, int fanIn, int parallelism) {
    this.jsc = jsc;
    this.data = data;
    this.model = model;
    this.fanIn = fanIn;
    this.parallelism = parallelism;
  }

  public Model model() {
    return model;
  }

  /**
   * Test hook: Spark tasks compute the nodes of this tree level (0 = one task per partition,
   * the depth = one task for everything) and the driver folds the rest. The bits do not depend
   * on it; by default tasks compute the root's children. A step's tasks compute level 1 at least
   * in a tree of depth ≥ 2 ({@link LeafTask#groupsRows}).
   */
  CohortObjective taskLevel(int level) {
    this.taskLevel = level;
    return this;
  }

  /** Test hook: every full pass carries at most this many runs (the bits do not depend on it). */
  CohortObjective passRuns(int runs) {
    this.passRuns = runs;
    return this;
  }

  /**
   * Runs one full pass over the training rows may carry ({@link PassMemory}): dense partials
   * of {@code 8·n} bytes a run, copied on their way to the driver, within the passes' share of
   * the driver's heap.
   */
  public int runsPerPass(int runs) {
    if (passRuns > 0) return Math.min(runs, passRuns);
    int tasks = PassMemory.tasks(data.train().getNumPartitions(), fanIn);
    double perRun = PassMemory.bytesPerRun(model.numParams(), tasks, jsc.defaultParallelism(), jsc.isLocal());
    return PassMemory.runsPerPass(runs, perRun, PassMemory.budget(Runtime.getRuntime().maxMemory(), parallelism));
  }

  /**
   * Per run: the loss and the gradient (normalised, penalty included), over {@code count} rows;
   * for a test pass {@code grads} is null and {@code correct} the accuracy.
   */
  public record Result(long count, double[] losses, double[][] grads, double[] accuracy) {}

  /**
   * Up to this many parameter doubles (K·n, or K·|U| when the step ships only the parameters
   * its rows read, {@link #step}) a step sends inside its tasks instead of in a broadcast of its
   * own: one broadcast and its removal fewer per step, the same values.
   */
  static long inlineStepDoubles = 16_384;

  /**
   * From now on a step's sparse merged gradient is densified into K·n doubles this objective
   * keeps (zeroed, then the touched coordinates set: the same bits as new arrays) instead of a
   * new K·n array a step, which at d = 10⁶ and K = 8 was 64 MB of driver garbage a step. A
   * step's {@link Result#grads} are then valid only until the next step (the trainer uses them
   * within the step).
   */
  public CohortObjective reusingStepGradients() {
    this.reuseStepGradients = true;
    return this;
  }

  /** The rows a step densifies into, or null (new arrays). */
  private double[][] stepGradients(int k) {
    if (!reuseStepGradients) return null;
    if (stepGradients == null || stepGradients.length < k) stepGradients = new double[k][model.numParams()];
    return stepGradients;
  }

  /**
   * The mini-batch step {@code step} of {@code sampler} for the K parameter vectors.
   *
   * <p>What is shipped. A step's rows on CSR blocks read only the touched parameters of their
   * features ({@link Model#touchedParameters}): at most {@code B·nnz} weights (plus, for an MLP,
   * the first layer's columns of those features and the later layers), whereas the K full
   * vectors are K·n doubles. Measured on sparse logistic regression (d = 10⁶, 50 non-zeros a
   * row, B = 1024, K = 8, P = 4): of a step's ~240 ms, creating the broadcast of the K·d = 64 MB
   * took 83–142 ms and reading it on the executors 43–70 ms, for rows that touch at most 51,200
   * coordinates. So the leaves of step k also return the features of their rows of step k+1
   * ({@link Partial#nextFeatures}: the sampler's rows are a function of (seed, partition, step),
   * but the features are only on the executors; O(B) more sampling and O(B·nnz) marking a
   * partition), merged as a sorted union Φ in the tree; the driver holds {@code U =
   * touchedParameters(Φ)}, keyed on (this sampler object, k+1). (Features rather than each
   * partition's touched parameters travel: for an MLP the latter are the first layer's width
   * times more.) Step k+1 of the same sampler then ships U and the K·|U| values {@code θ_j[U]}
   * (inside the tasks up to {@link #inlineStepDoubles}, else one broadcast), and the executors
   * set them in a per-thread dense scratch ({@link GradientLeaf}). U covers every partition's
   * rows (each partition's rows lie within Φ, and the kernel on rows within Φ reads only {@code
   * touchedParameters(Φ)}), and U depends on the data and the batch sequence only, not on θ or
   * on which runs are live: the bits are exactly those of the full vectors, after an evaluation
   * or a run leaving the cohort too. The full vectors are shipped instead at the first step of
   * a sampler, after a resume (a new sampler), for a step other than the one U was computed for,
   * on dense blocks, for models without touched parameters, and when U exceeds two thirds of
   * the parameters (the leaves' own rule for a sparse gradient). Full passes ({@link #evaluate},
   * {@link #value}) always ship the full vectors: they read every row.
   *
   * <p>The driver holds U ({@code ≤ B·nnz} ints for logistic regression) and the K·|U| values
   * while a step runs; nothing grows with the partitions.
   */
  public Result step(double[][] thetas, BatchSampler sampler, long step) {
    double[][] into = stepGradients(thetas.length);
    Touched held = nextTouched;
    nextTouched = null;
    int[] u = restrictSteps && held != null && held.sampler() == sampler && held.step() == step
        ? held.params() : null;
    StepTask.Shipped shipped = new StepTask.Shipped(u, u == null ? thetas : gathered(thetas, u));
    shippedDoubles = shipped.doubles();
    if (u != null) restrictedSteps++;
    Partial root;
    if (shipped.doubles() <= inlineStepDoubles) {
      root = sum(data.train(), withNext(StepTask.inline(model, shipped, sampler, step)), into);
    } else {
      Broadcast<StepTask.Shipped> bc = jsc.broadcast(shipped);
      try {
        root = sum(data.train(), withNext(StepTask.shared(model, bc, sampler, step)), into);
      } finally {
        bc.destroy();
      }
    }
    if (restrictSteps) nextTouched = touched(sampler, step + 1, root.nextFeatures());
    return normalised(thetas, root);
  }

  /** The parameters step {@code step} of {@code sampler} reads, strictly increasing. */
  private record Touched(BatchSampler sampler, long step, int[] params) {}

  /** U of the next step, from the step that just returned, or null. */
  private volatile Touched nextTouched;
  private boolean restrictSteps = true;
  private long restrictedSteps;
  private long shippedDoubles;

  /**
   * Test hook: whether steps may ship only the parameters their rows read (on by default; the
   * bits do not depend on it).
   */
  CohortObjective restrictingSteps(boolean on) {
    this.restrictSteps = on;
    if (!on) nextTouched = null;
    return this;
  }

  /** Test hook: the steps so far that shipped only the parameters their rows read. */
  long restrictedSteps() {
    return restrictedSteps;
  }

  /** Test hook: the parameter doubles the last step shipped (K·n, or K·|U| when restricted). */
  long shippedDoubles() {
    return shippedDoubles;
  }

  private StepTask withNext(StepTask task) {
    return restrictSteps ? task.withNext() : task;
  }

  /** U for {@code (sampler, step)} from the next step's features, or null when it would not pay. */
  private Touched touched(BatchSampler sampler, long step, int[] features) {
    if (features == null) return null;
    int[] params = model.touchedParameters(features);
    if (params == null || 3L * params.length > 2L * model.numParams()) return null;
    return new Touched(sampler, step, params);
  }

  /** {@code θ_j[u]} for every run. */
  private static double[][] gathered(double[][] thetas, int[] u) {
    double[][] out = new double[thetas.length][u.length];
    for (int j = 0; j < thetas.length; j++) {
      double[] t = thetas[j];
      double[] v = out[j];
      for (int i = 0; i < u.length; i++) v[i] = t[u[i]];
    }
    return out;
  }

  /**
   * A full evaluation: train loss and gradient, test and validation loss and accuracy (each null
   * without such rows), test AUC (or null).
   */
  public record Evaluation(Result train, Result test, Result validation, double[] auc) {}

  /**
   * Full passes over the training, test and validation rows; AUC when {@code withAuc} and it
   * fits. Runs whose vectors are bit-identical (every run of a sweep at its shared initial point,
   * step 0) are evaluated once and the result copied to each ({@link #firstEqual}). The distinct
   * runs go in chunks of {@link #runsPerPass} (one broadcast each): a run's bits are those of its
   * pass alone, whatever it shares the pass with, so neither changes any bit.
   */
  public Evaluation evaluate(double[][] thetas, boolean withAuc) {
    int k = thetas.length;
    boolean auc = withAuc && reportsAuc(k);
    int[] first = firstEqual(thetas);
    int[] slot = new int[k];
    int distinct = 0;
    for (int j = 0; j < k; j++) slot[j] = first[j] == j ? distinct++ : slot[first[j]];
    if (distinct == k) return evaluateDistinct(thetas, auc);
    double[][] unique = new double[distinct][];
    for (int j = 0; j < k; j++) if (first[j] == j) unique[slot[j]] = thetas[j];
    Evaluation e = evaluateDistinct(unique, auc);
    return new Evaluation(spread(e.train(), slot), spread(e.test(), slot), spread(e.validation(), slot),
        e.auc() == null ? null : spread(e.auc(), slot));
  }

  /**
   * For each vector, the index of the first one bit-identical to it (its own index if none
   * before it is): raw bits compared, so -0.0 and 0.0 differ, and so do NaNs of other payloads.
   * O(K·n): each vector is hashed once and compared only with earlier ones of the same hash.
   */
  static int[] firstEqual(double[][] thetas) {
    int k = thetas.length;
    int[] first = new int[k];
    Map<Long, List<Integer>> byHash = new HashMap<>();
    for (int j = 0; j < k; j++) {
      double[] v = thetas[j];
      long h = v.length;
      for (double x : v) h = h * 0x9E3779B97F4A7C15L + Double.doubleToRawLongBits(x);
      List<Integer> same = byHash.computeIfAbsent(h, x -> new ArrayList<>());
      first[j] = j;
      for (int i : same) {
        if (sameBits(thetas[i], v)) {
          first[j] = i;
          break;
        }
      }
      if (first[j] == j) same.add(j);
    }
    return first;
  }

  private static boolean sameBits(double[] a, double[] b) {
    if (a.length != b.length) return false;
    for (int i = 0; i < a.length; i++) {
      if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i])) return false;
    }
    return true;
  }

  /** The distinct runs' result, one entry per run ({@code slot[j]}: run j's distinct vector); gradients copied. */
  private static Result spread(Result r, int[] slot) {
    if (r == null) return null;
    int k = slot.length;
    double[] losses = spread(r.losses(), slot);
    double[] acc = r.accuracy() == null ? null : spread(r.accuracy(), slot);
    double[][] grads = null;
    if (r.grads() != null) {
      grads = new double[k][];
      boolean[] used = new boolean[r.grads().length];
      for (int j = 0; j < k; j++) {
        double[] g = r.grads()[slot[j]];
        grads[j] = used[slot[j]] ? g.clone() : g;
        used[slot[j]] = true;
      }
    }
    return new Result(r.count(), losses, grads, acc);
  }

  private static double[] spread(double[] v, int[] slot) {
    double[] out = new double[slot.length];
    for (int j = 0; j < slot.length; j++) out[j] = v[slot[j]];
    return out;
  }

  /** {@link #evaluate} of distinct vectors: in chunks of {@link #runsPerPass}. */
  private Evaluation evaluateDistinct(double[][] thetas, boolean auc) {
    int k = thetas.length;
    int c = runsPerPass(k);
    if (c >= k) return evaluateFused(thetas, auc);
    Evaluation[] parts = new Evaluation[(k + c - 1) / c];
    for (int a = 0, i = 0; a < k; a += c, i++) {
      parts[i] = evaluateFused(java.util.Arrays.copyOfRange(thetas, a, Math.min(k, a + c)), auc);
    }
    return new Evaluation(concat(parts, 0), concat(parts, 1), concat(parts, 2), auc ? concatAuc(parts) : null);
  }

  /** One pass for all of {@code thetas}: one broadcast, one tree job per data set. */
  private Evaluation evaluateFused(double[][] thetas, boolean withAuc) {
    Broadcast<double[][]> bc = jsc.broadcast(thetas);
    try {
      Result train = normalised(thetas, sum(data.train(), new EvalTask(model, bc, true)));
      Result test = data.testRows() > 0 ? heldOut(thetas, sum(data.test(), new EvalTask(model, bc, false))) : null;
      Result validation = data.validationRows() > 0
          ? heldOut(thetas, sum(data.validation(), new EvalTask(model, bc, false))) : null;
      double[] auc = withAuc ? testAuc(bc, thetas.length) : null;
      return new Evaluation(train, test, validation, auc);
    } finally {
      bc.destroy();
    }
  }

  /** The chunks' results of one data set (0 train, 1 test, 2 validation) side by side, in run order. */
  private static Result concat(Evaluation[] parts, int which) {
    Result first = pick(parts[0], which);
    if (first == null) return null;
    int k = 0;
    for (Evaluation e : parts) k += pick(e, which).losses().length;
    double[] losses = new double[k];
    double[][] grads = first.grads() == null ? null : new double[k][];
    double[] acc = first.accuracy() == null ? null : new double[k];
    int off = 0;
    for (Evaluation e : parts) {
      Result r = pick(e, which);
      int m = r.losses().length;
      System.arraycopy(r.losses(), 0, losses, off, m);
      if (grads != null) System.arraycopy(r.grads(), 0, grads, off, m);
      if (acc != null) System.arraycopy(r.accuracy(), 0, acc, off, m);
      off += m;
    }
    return new Result(first.count(), losses, grads, acc);
  }

  private static Result pick(Evaluation e, int which) {
    return which == 0 ? e.train() : which == 1 ? e.test() : e.validation();
  }

  private static double[] concatAuc(Evaluation[] parts) {
    return java.util.Arrays.stream(parts).flatMapToDouble(e -> java.util.Arrays.stream(e.auc())).toArray();
  }

  /** Loss (mean plus penalty) and accuracy of held-out rows. */
  private Result heldOut(double[][] thetas, Partial t) {
    double[] losses = new double[thetas.length];
    double[] acc = new double[thetas.length];
    for (int j = 0; j < thetas.length; j++) {
      losses[j] = t.losses()[j] / t.count() + model.penalty(thetas[j], null);
      acc[j] = t.correct()[j] / t.count();
    }
    return new Result(t.count(), losses, null, acc);
  }

  /**
   * The full training objective at {@code theta} (mean data loss plus penalty); its gradient is
   * written into {@code grad}.
   */
  public double value(double[] theta, double[] grad) {
    Broadcast<double[][]> bc = jsc.broadcast(new double[][] {theta});
    Partial sum;
    try {
      sum = sum(data.train(), new EvalTask(model, bc, true));
    } finally {
      bc.destroy();
    }
    double inv = 1.0 / sum.count();
    double[] g = sum.grads()[0];
    for (int i = 0; i < g.length; i++) grad[i] = g[i] * inv;
    return sum.losses()[0] * inv + model.penalty(theta, grad);
  }

  private Result normalised(double[][] thetas, Partial sum) {
    double inv = 1.0 / sum.count();
    double[] losses = new double[thetas.length];
    for (int j = 0; j < thetas.length; j++) {
      double[] g = sum.grads()[j];
      for (int i = 0; i < g.length; i++) g[i] *= inv;
      losses[j] = sum.losses()[j] * inv + model.penalty(thetas[j], g);
    }
    return new Result(sum.count(), losses, sum.grads(), null);
  }

  /**
   * The root of the fixed tree over the partitions of {@code blocks} for this leaf task: dense
   * gradients, not normalised. One Spark job of {@code ⌈P/F^(h-1)⌉} tasks (or the test hook's).
   */
  Partial sum(JavaRDD<DataBlock> blocks, LeafTask leaf) {
    return sum(blocks, leaf, null);
  }

  /** As {@link #sum(JavaRDD, LeafTask)}, a sparse root densified into {@code into} (or null). */
  private Partial sum(JavaRDD<DataBlock> blocks, LeafTask leaf, double[][] into) {
    FixedTree tree = new FixedTree(blocks.getNumPartitions(), fanIn);
    int level = taskLevel < 0 ? tree.taskLevel() : Math.min(taskLevel, tree.depth());
    // a leaf that defines level-1 nodes by their rows needs them computed in a task
    if (leaf.groupsRows() && tree.depth() >= 2) level = Math.max(level, 1);
    RDD<DataBlock> rdd = grouped(blocks, tree, level);
    RootFold root = new RootFold(tree, level, model.numParams(), into);
    jsc.sc().runJob(rdd, new TreeTask(leaf, tree, level, model.numParams()), root,
        ClassTag$.MODULE$.apply(Partial.class));
    return root.root();
  }

  /** The blocks grouped into the nodes of {@code level}: contiguous partitions, one task each. */
  private RDD<DataBlock> grouped(JavaRDD<DataBlock> blocks, FixedTree tree, int level) {
    int span = tree.span(level);
    if (span == 1) return blocks.rdd();
    synchronized (groups) {
      return groups.computeIfAbsent(blocks.id() + "/" + span, key -> {
        ClassTag<DataBlock> tag = ClassTag$.MODULE$.apply(DataBlock.class);
        return new CoalescedRDD<>(blocks.rdd(), tree.nodes(level), Option.apply(new TreeTask.Contiguous(span)), tag);
      });
    }
  }

  /**
   * Receives the task results as they arrive (on Spark's scheduler thread, one at a time), holds
   * those that come ahead of their turn and folds them into the root strictly in index order.
   */
  static final class RootFold extends AbstractFunction2<Object, Partial, BoxedUnit> {
    private final FixedTree.Fold fold;
    private final Partial[] pending;
    private int next;
    private Partial root;

    RootFold(FixedTree tree, int level, int numParams) {
      this(tree, level, numParams, null);
    }

    RootFold(FixedTree tree, int level, int numParams, double[][] into) {
      this.fold = tree.fold(level, tree.depth(), numParams).into(into);
      this.pending = new Partial[tree.nodes(level)];
    }

    @Override
    public synchronized BoxedUnit apply(Object index, Partial result) {
      pending[(Integer) index] = result;
      while (next < pending.length && pending[next] != null) {
        Partial r = fold.add(next, pending[next]);
        pending[next++] = null;
        if (r != null) root = r;
      }
      return BoxedUnit.UNIT;
    }

    synchronized Partial root() {
      if (root == null) throw new IllegalStateException("the tree's root is missing: " + next + " of "
          + pending.length + " nodes arrived");
      return root;
    }
  }

  /** Whether evaluations report test AUC: binary models, within the driver-side size cap. */
  public boolean reportsAuc(int runs) {
    return model instanceof BinaryScorer && model.numClasses() == 2 && data.testRows() > 0
        && data.testRows() * (long) runs <= MAX_AUC_SCORES;
  }

  /** Exact test AUC of each parameter vector (partitions concatenated in order). */
  private double[] testAuc(Broadcast<double[][]> bc, int k) {
    List<ScoreTask.Scores> parts = BlockTask.run(jsc, data.test(), new ScoreTask((BinaryScorer) model, bc),
        ScoreTask.Scores.class);
    int n = (int) data.testRows();
    double[] labels = new double[n];
    double[][] scores = new double[k][n];
    int off = 0;
    for (ScoreTask.Scores p : parts.stream()
        .sorted(java.util.Comparator.comparingInt(ScoreTask.Scores::partition)).toList()) {
      int m = p.labels().length;
      System.arraycopy(p.labels(), 0, labels, off, m);
      for (int j = 0; j < k; j++) System.arraycopy(p.scores()[j], 0, scores[j], off, m);
      off += m;
    }
    double[] auc = new double[k];
    for (int j = 0; j < k; j++) auc[j] = Auc.of(scores[j], labels);
    return auc;
  }
}
