package io.adaspark.ml;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.sql.Dataset;

/**
 * What the two adaptive estimators share: the Params ({@link AdaptiveParams}), {@code train}
 * through adaspark's trainer ({@link AdaptiveFit}) and the fused {@link #fitMultiple}.
 *
 * @param <E> the estimator
 * @param <M> its model
 */
public abstract class AdaptiveClassifier<E extends AdaptiveClassifier<E, M>, M extends AdaptiveModel<M>>
    extends ProbabilisticClassifier<Vector, E, M> implements AdaptiveParams, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;
  private String uid; // no initializer: assigned by uid() during the superclass constructor (Uids)
  private final AdaptiveParamSet params;

  AdaptiveClassifier(String uid, boolean mlp) {
    super();
    uid();
    params = new AdaptiveParamSet(this);
    params.setDefaults(this, mlp);
  }

  /** The prefix of random uids, e.g. {@code adaptiveLogreg}. */
  abstract String prefix();

  @Override
  public final String uid() {
    if (uid == null) uid = Uids.take(prefix());
    return uid;
  }

  @Override
  public final AdaptiveParamSet adaptive() {
    return params;
  }

  /** Whether this is the MLP estimator (its Params layers and activation). */
  abstract boolean mlp();

  /** The model of one fit. */
  abstract M model(AdaptiveFit.Fitted fitted);

  @SuppressWarnings("unchecked")
  private E self() {
    return (E) this;
  }

  AdaptiveFit.Config config() {
    return AdaptiveFit.resolve(this, mlp(), getLabelCol(), getFeaturesCol());
  }

  /** Called by {@code fit}: one configuration, trained as a cohort of one. */
  @Override
  public M train(Dataset<?> dataset) {
    AdaptiveFit.Config c = config();
    return model(AdaptiveFit.fit(dataset, List.of(c)).get(0));
  }

  /**
   * Fits one model per param map in fused cohorts: all maps that share the data columns,
   * {@code numPartitions}, the model (layers, regParam, family), {@code batchSize},
   * {@code maxIter}, {@code evalEvery}, {@code seed} and {@code tol} train together — one pass
   * over each mini-batch for all of them — however they differ in {@code optimizer},
   * {@code learningRate}, {@code optimizerParams}, {@code schedule} and {@code clip}. Model i is
   * bit-identical to {@code fit(dataset, paramMaps[i])}. This is Spark ML's multi-map
   * {@code Estimator.fit(dataset, paramMaps)}, overridden as its Scaladoc invites; Spark's own
   * {@code CrossValidator} and {@code TrainValidationSplit} (4.1) call {@code fit(dataset,
   * paramMap)} once per map instead — {@link AdaptiveCrossValidator} calls this.
   */
  @Override
  public scala.collection.immutable.Seq<M> fit(Dataset<?> dataset, scala.collection.immutable.Seq<ParamMap> paramMaps) {
    List<ParamMap> maps = scala.jdk.javaapi.CollectionConverters.asJava(paramMaps);
    return scala.jdk.javaapi.CollectionConverters.asScala(fitMultiple(dataset, maps.toArray(new ParamMap[0]))).toList();
  }

  /** As {@link #fit(Dataset, scala.collection.immutable.Seq)}, for Java: the models in the maps' order. */
  public List<M> fitMultiple(Dataset<?> dataset, ParamMap[] paramMaps) {
    transformSchema(dataset.schema(), true);
    List<E> ests = new ArrayList<>();
    List<AdaptiveFit.Config> configs = new ArrayList<>();
    for (ParamMap pm : paramMaps) {
      E e = copy(pm);
      ests.add(e);
      configs.add(e.config());
    }
    List<AdaptiveFit.Fitted> fitted = AdaptiveFit.fit(dataset, configs);
    List<M> models = new ArrayList<>();
    for (int i = 0; i < paramMaps.length; i++) {
      E e = ests.get(i);
      M m = e.model(fitted.get(i));
      m.setParent(e);
      models.add(e.copyValues(m, ParamMap.empty()));
    }
    return models;
  }

  // Chainable setters of the shared Params.

  public E setMaxIter(int value) { return put(maxIter(), value); }

  public E setRegParam(double value) { return put(regParam(), value); }

  public E setTol(double value) { return put(tol(), value); }

  public E setSeed(long value) { return put(seed(), value); }

  public E setOptimizer(String value) { return put(optimizer(), value); }

  public E setLearningRate(double value) { return put(learningRate(), value); }

  public E setBatchSize(int value) { return put(batchSize(), value); }

  public E setOptimizerParams(String json) { return put(optimizerParams(), json); }

  public E setSchedule(String json) { return put(schedule(), json); }

  public E setClip(String json) { return put(clip(), json); }

  public E setNumPartitions(int value) { return put(numPartitions(), value); }

  public E setEvalEvery(int value) { return put(evalEvery(), value); }

  @SuppressWarnings("unchecked")
  <T> E put(org.apache.spark.ml.param.Param<T> p, T value) {
    return (E) super.set(p, value);
  }
}
