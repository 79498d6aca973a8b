package io.adaspark.data;

import java.util.Map;
import org.apache.spark.api.java.JavaRDD;

/**
 * Training and test rows as cached per-partition blocks (one block per partition), with what
 * the trainer and the manifest need to know about them.
 *
 * @param train one {@link DataBlock} per partition, cached
 * @param test one block per partition, cached (may hold no rows)
 * @param partitionRows training rows in each partition, by partition index
 * @param labelCoding how input labels were mapped to class indices, e.g. {@code "-1->0, +1->1"}
 * @param mean the training rows' feature means used for standardization, or null (also null
 *     for CSR blocks, which are scaled but never centred)
 * @param std the training rows' feature standard deviations, or null
 * @param layout {@code dense} ({@link DenseBlock}) or {@code sparse} ({@link CsrBlock})
 * @param details more for the manifest (e.g. a synthetic generator's ground truth); JSON-able
 * @param validation one block per partition, cached, or null without a validation split
 * @param validationRows rows of the validation split (0 without one)
 */
public record PreparedData(JavaRDD<DataBlock> train, JavaRDD<DataBlock> test, int numFeatures,
                           int numClasses, long[] partitionRows, long trainRows, long testRows, int partitions,
                           long cachedBytes, double density, String labelCoding, double[] mean,
                           double[] std, DataFingerprint fingerprint, String layout, Map<String, Object> details,
                           JavaRDD<DataBlock> validation, long validationRows) {

  /** Without a validation split. */
  public PreparedData(JavaRDD<DataBlock> train, JavaRDD<DataBlock> test, int numFeatures,
                      int numClasses, long[] partitionRows, long trainRows, long testRows, int partitions,
                      long cachedBytes, double density, String labelCoding, double[] mean,
                      double[] std, DataFingerprint fingerprint, String layout, Map<String, Object> details) {
    this(train, test, numFeatures, numClasses, partitionRows, trainRows, testRows, partitions, cachedBytes, density,
        labelCoding, mean, std, fingerprint, layout, details, null, 0);
  }

  /** Drops the cached blocks. */
  public void unpersist() {
    train.unpersist(false);
    test.unpersist(false);
    if (validation != null) validation.unpersist(false);
  }
}
