package io.adaspark.ml;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * What the two adaptive models share: the fitted parameters θ (adaspark's flat layout, as in a
 * job's checkpoints), the Params of the estimator that made them, the training summary, the
 * softmax / sigmoid of {@code raw2probability}, and persistence: Spark ML's metadata
 * ({@code DefaultParamsWriter}: class, uid, Params) in {@code path/metadata} and one Parquet row
 * in {@code path/data} — {@code numFeatures}, {@code numClasses}, {@code sizes} (the layer sizes),
 * {@code activations}, {@code softmax} and {@code theta}.
 *
 * @param <M> the concrete model
 */
public abstract class AdaptiveModel<M extends AdaptiveModel<M>> extends ProbabilisticClassificationModel<Vector, M>
    implements AdaptiveParams, MLWritable {
  private static final long serialVersionUID = 1L;
  private String uid; // no initializer: assigned by uid() during the superclass constructor (Uids)
  private final AdaptiveParamSet params;
  final ModelData data;
  private transient AdaptiveTrainingSummary summary;

  AdaptiveModel(String uid, ModelData data, boolean mlp) {
    super();
    uid();
    this.data = data;
    params = new AdaptiveParamSet(this);
    params.setDefaults(this, mlp);
  }

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

  /** Both Spark superclasses declare it (Java needs one answer): the probabilistic one. */
  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public scala.Tuple3 findSummaryModel() {
    return super.findSummaryModel();
  }

  @Override public int numFeatures() { return data.numFeatures(); }

  @Override public int numClasses() { return data.numClasses(); }

  /** All fitted parameters in adaspark's layout (per layer W[out][in] row-major, then b). */
  public Vector parameters() {
    return new DenseVector(data.theta().clone());
  }

  /** Whether this model has a training summary (false for a loaded model, as MLlib). */
  public boolean hasSummary() {
    return summary != null;
  }

  /**
   * The training summary: objective history, iterations and the metric rows a job would have
   * written for this run.
   *
   * @throws RuntimeException if there is none ({@link #hasSummary})
   */
  public AdaptiveTrainingSummary summary() {
    if (summary == null) {
      throw new RuntimeException("No training summary available for this " + getClass().getSimpleName());
    }
    return summary;
  }

  @SuppressWarnings("unchecked")
  M withSummary(AdaptiveTrainingSummary s) {
    this.summary = s;
    return (M) this;
  }

  /** The raw scores: the output layer's values (binary logistic regression: {@code [-m, m]}, m the margin). */
  @Override
  public Vector predictRaw(Vector features) {
    return new DenseVector(data.raw(features));
  }

  /** Softmax of the raw scores in place (binary logistic: the sigmoid of the margin). */
  @Override
  public Vector raw2probabilityInPlace(Vector raw) {
    double[] v = ((DenseVector) raw).values();
    if (!data.softmax()) { // MLlib's binary LogisticRegressionModel: raw = [-m, m], p = [1 - σ(m), σ(m)]
      double p = 1.0 / (1.0 + Math.exp(-v[1]));
      v[0] = 1.0 - p;
      v[1] = p;
      return raw;
    }
    double max = Double.NEGATIVE_INFINITY;
    for (double x : v) max = Math.max(max, x);
    double sum = 0;
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.exp(v[i] - max);
      sum += v[i];
    }
    for (int i = 0; i < v.length; i++) v[i] /= sum;
    return raw;
  }

  /** A copy with the same data and summary, the extra Params set. */
  abstract M newInstance(String uid, ModelData data);

  @Override
  public M copy(ParamMap extra) {
    M m = newInstance(uid(), data);
    m.withSummary(summary);
    return copyValues(m, extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  /** Metadata (Params) and the data row. */
  private static final class Writer extends MLWriter {
    private final AdaptiveModel<?> instance;

    Writer(AdaptiveModel<?> instance) {
      this.instance = instance;
    }

    @Override
    public void saveImpl(String path) {
      DefaultParamsWriter$.MODULE$.saveMetadata(instance, path, sparkSession());
      ModelData d = instance.data;
      List<Row> rows = new ArrayList<>();
      rows.add(RowFactory.create(d.numFeatures(), d.numClasses(), toSeqInt(d.sizes()), toSeqString(d.activations()),
          d.softmax(), toSeqDouble(d.theta())));
      sparkSession().createDataFrame(rows, ModelData.SCHEMA).repartition(1).write()
          .parquet(new org.apache.hadoop.fs.Path(path, "data").toString());
    }
  }

  private static scala.collection.immutable.Seq<Object> toSeqInt(int[] a) {
    List<Object> l = new ArrayList<>();
    for (int x : a) l.add(x);
    return scala.jdk.javaapi.CollectionConverters.asScala(l).toList();
  }

  private static scala.collection.immutable.Seq<Object> toSeqDouble(double[] a) {
    List<Object> l = new ArrayList<>();
    for (double x : a) l.add(x);
    return scala.jdk.javaapi.CollectionConverters.asScala(l).toList();
  }

  private static scala.collection.immutable.Seq<Object> toSeqString(String[] a) {
    return scala.jdk.javaapi.CollectionConverters.asScala(List.<Object>of((Object[]) a)).toList();
  }

  /** Reads what {@link Writer} wrote: the model's Params from the metadata, θ from the data row. */
  static final class Reader<M extends AdaptiveModel<M>> extends MLReader<M> {
    private final Class<M> type;
    private final java.util.function.BiFunction<String, ModelData, M> make;

    Reader(Class<M> type, java.util.function.BiFunction<String, ModelData, M> make) {
      this.type = type;
      this.make = make;
    }

    @Override
    public M load(String path) {
      SparkSession spark = sparkSession();
      DefaultParamsReader.Metadata meta = org.apache.spark.ml.util.DefaultParamsReader$.MODULE$
          .loadMetadata(path, spark, type.getName());
      Row r = spark.read().parquet(new org.apache.hadoop.fs.Path(path, "data").toString()).head();
      List<Object> sizes = scala.jdk.javaapi.CollectionConverters.asJava(r.<Object>getSeq(2));
      List<Object> acts = scala.jdk.javaapi.CollectionConverters.asJava(r.<Object>getSeq(3));
      List<Object> theta = scala.jdk.javaapi.CollectionConverters.asJava(r.<Object>getSeq(5));
      ModelData d = new ModelData(r.getInt(0), r.getInt(1), sizes.stream().mapToInt(x -> (Integer) x).toArray(),
          acts.stream().map(x -> (String) x).toArray(String[]::new), r.getBoolean(4),
          theta.stream().mapToDouble(x -> (Double) x).toArray());
      M m = make.apply(meta.uid(), d);
      meta.getAndSetParams(m, scala.Option.empty());
      return m;
    }
  }
}
