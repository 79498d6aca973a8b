package io.adaspark.train;

import io.adaspark.data.CsrBlock;
import io.adaspark.data.DataBlock;
import io.adaspark.data.DenseBlock;
import io.adaspark.model.LogRegConfig;
import io.adaspark.model.Model;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The exact optimum f* = min f of a logistic-regression objective, from MLlib's
 * {@code LogisticRegression} (L-BFGS) fitted on the same training rows as adaspark trains on.
 *
 * <p>The mapping of adaspark's objective {@code (1/n)·Σ loss_i + ½·l2·‖W‖²} (intercepts not
 * regularized) onto MLlib's: the same cached, already standardized rows; {@code regParam = l2},
 * {@code elasticNetParam = 0} (MLlib's penalty is {@code regParam·½·‖W‖²}); {@code
 * standardization = false} (so the penalty applies to the coefficients as adaspark sees them);
 * {@code fitIntercept = true} (MLlib never regularizes intercepts); family {@code binomial} for
 * adaspark's binary model, {@code multinomial} for softmax. The mapping is verified, not
 * assumed: f* is adaspark's own objective evaluated at MLlib's solution, and the norm of
 * adaspark's gradient there is recorded (it is ~0 when the mapping is right and L-BFGS converged);
 * both from one full pass of {@link CohortObjective#value} (the same summation tree as training).
 */
public final class ConvexOptimum {
  private ConvexOptimum() {}

  /**
   * @param fStar adaspark's objective at MLlib's solution
   * @param gradNorm the L2 norm of adaspark's full gradient there
   * @param mllibObjective MLlib's last objective value (should equal fStar to ~1e-12 relative)
   * @param iterations L-BFGS iterations
   * @param theta the solution in adaspark's parameter layout
   */
  public record Result(double fStar, double gradNorm, double mllibObjective, int iterations,
                       double[] theta) {}

  /** f* of {@code objective}'s model on its training rows {@code train}. */
  public static Result compute(SparkSession spark, CohortObjective objective, JavaRDD<DataBlock> train,
                               LogRegConfig config, int maxIter, double tol) {
    Model model = objective.model();
    int d = model.numFeatures();
    int k = model.numClasses();
    boolean binary = model.numParams() == d + 1;
    StructType schema = new StructType()
        .add("label", DataTypes.DoubleType, false)
        .add("features", SQLDataTypes.VectorType(), false);
    Dataset<Row> rows = spark.createDataFrame(train.flatMap(b -> rowsOf(b).iterator()), schema);
    LogisticRegression lr = new LogisticRegression()
        .setRegParam(config.l2())
        .setElasticNetParam(0.0)
        .setStandardization(false)
        .setFitIntercept(true)
        .setFamily(binary ? "binomial" : "multinomial")
        .setMaxIter(maxIter)
        .setTol(tol);
    LogisticRegressionModel fit = lr.fit(rows);
    double[] theta = new double[model.numParams()];
    if (binary) {
      System.arraycopy(fit.coefficients().toArray(), 0, theta, 0, d);
      theta[d] = fit.intercept();
    } else {
      Matrix w = fit.coefficientMatrix();
      if (w.numRows() != k) {
        throw new IllegalStateException("MLlib fitted " + w.numRows() + " classes, the model has " + k);
      }
      for (int c = 0; c < k; c++) {
        for (int j = 0; j < d; j++) theta[c * d + j] = w.apply(c, j);
      }
      Vector b = fit.interceptVector();
      for (int c = 0; c < k; c++) theta[k * d + c] = b.apply(c);
    }
    double[] grad = new double[theta.length];
    double fStar = objective.value(theta, grad);
    double norm = 0;
    for (double g : grad) norm += g * g;
    double[] history = fit.summary().objectiveHistory();
    return new Result(fStar, Math.sqrt(norm), history[history.length - 1],
        fit.summary().totalIterations(), theta);
  }

  /** The rows of a block as (label, features) rows: dense or sparse vectors as stored. */
  static List<Row> rowsOf(DataBlock block) {
    int n = block.numRows();
    int d = block.numFeatures();
    List<Row> out = new ArrayList<>(n);
    if (block instanceof DenseBlock dense) {
      double[] x = dense.x();
      for (int i = 0; i < n; i++) {
        double[] row = new double[d];
        System.arraycopy(x, i * d, row, 0, d);
        out.add(RowFactory.create(block.label(i), Vectors.dense(row)));
      }
    } else if (block instanceof CsrBlock csr) {
      int[] ptr = csr.indptr();
      for (int i = 0; i < n; i++) {
        int from = ptr[i];
        int len = ptr[i + 1] - from;
        int[] idx = new int[len];
        double[] val = new double[len];
        System.arraycopy(csr.indices(), from, idx, 0, len);
        System.arraycopy(csr.values(), from, val, 0, len);
        out.add(RowFactory.create(block.label(i), Vectors.sparse(d, idx, val)));
      }
    } else {
      throw new IllegalArgumentException("unknown block type " + block.getClass().getName());
    }
    return out;
  }
}
