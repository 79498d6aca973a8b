package io.adaspark.ml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.mllib.util.MLUtils;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * A {@code CrossValidator} whose folds train every param map with one call of the estimator's
 * multi-map {@code fit(dataset, paramMaps)}: for {@link AdaptiveLogisticRegression} and
 * {@link AdaptiveMLPClassifier} that is one fused cohort per fold (per group of maps sharing
 * data, model shape and batch sequence) instead of one training per map. Spark 4.1's
 * {@code CrossValidator.fit} calls {@code est.fit(trainingDataset, paramMap)} once per map
 * (CrossValidator.scala:176), never the multi-map form.
 *
 * <p>Otherwise it is Spark's: the same Params (set them as on a {@code CrossValidator}), the
 * same folds ({@code MLUtils.kFold} with {@code seed}, or {@code foldCol}), the evaluator on
 * each fold's validation rows, the average metric per map, the best map refitted on the whole
 * dataset, and a {@code CrossValidatorModel} (saved and loaded as Spark's). With the adaptive
 * estimators it picks the same map with the same {@code avgMetrics} as {@code CrossValidator}
 * (each fused run is bit-identical to its own fit). Any other estimator works too (its
 * multi-map {@code fit} is Spark's loop). Not supported: {@code parallelism} (the fused cohort
 * is the parallelism), {@code collectSubModels}, and saving the unfitted validator itself.
 */
public class AdaptiveCrossValidator extends CrossValidator {
  private static final long serialVersionUID = 1L;

  public AdaptiveCrossValidator() {
    super();
  }

  public AdaptiveCrossValidator(String uid) {
    super(uid);
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public CrossValidatorModel fit(Dataset<?> dataset) {
    StructType schema = dataset.schema();
    transformSchema(schema, true);
    SparkSession spark = dataset.sparkSession();
    Estimator est = getEstimator();
    Evaluator eval = getEvaluator();
    ParamMap[] epm = getEstimatorParamMaps();
    int k = getNumFolds();
    Tuple2<RDD<Row>, RDD<Row>>[] splits;
    StructType foldSchema = schema;
    if (getFoldCol().isEmpty()) {
      splits = MLUtils.kFold(dataset.toDF().rdd(), k, getSeed(), scala.reflect.ClassTag$.MODULE$.apply(Row.class));
    } else {
      splits = MLUtils.kFold(dataset.toDF(), k, getFoldCol());
      foldSchema = new StructType(Arrays.stream(schema.fields()).filter(f -> !f.name().equals(getFoldCol()))
          .toArray(StructField[]::new));
    }
    double[] sum = new double[epm.length];
    for (Tuple2<RDD<Row>, RDD<Row>> split : splits) {
      Dataset<Row> training = spark.createDataFrame(split._1(), foldSchema).cache();
      Dataset<Row> validation = spark.createDataFrame(split._2(), foldSchema).cache();
      try {
        List<Model<?>> models = new ArrayList<>(scala.jdk.javaapi.CollectionConverters.asJava(
            (scala.collection.immutable.Seq<Model<?>>) est.fit(training,
                scala.jdk.javaapi.CollectionConverters.asScala(Arrays.asList(epm)).toList())));
        for (int j = 0; j < epm.length; j++) sum[j] += eval.evaluate(models.get(j).transform(validation, epm[j]));
      } finally {
        training.unpersist();
        validation.unpersist();
      }
    }
    double[] avg = new double[epm.length];
    int best = 0;
    for (int j = 0; j < epm.length; j++) {
      avg[j] = sum[j] / k;
      if (eval.isLargerBetter() ? avg[j] > avg[best] : avg[j] < avg[best]) best = j;
    }
    Model<?> bestModel = (Model<?>) est.fit(dataset, epm[best]);
    CrossValidatorModel m = new CrossValidatorModel(uid(), bestModel, avg);
    return (CrossValidatorModel) copyValues(m, ParamMap.empty()).setParent(this);
  }
}
