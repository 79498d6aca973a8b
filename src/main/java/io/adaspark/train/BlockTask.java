package io.adaspark.train;

import io.adaspark.data.DataBlock;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;

/**
 * Work done on each cached partition (one {@link DataBlock}) by one Spark job, with one result
 * per partition, returned in partition order.
 *
 * <p>Why not {@code blocks.mapPartitionsWithIndex(f).collect()}: measured with Java Flight
 * Recorder on a warm driver ({@code ./submit.sh bench --rows 3}), about 90% of the driver's
 * time in such a step went to Spark's {@code ClosureCleaner}, which for every job reads and
 * parses with ASM the class files that define the Scala lambdas wrapping the Java function
 * ({@code JavaRDDLike.mapPartitionsWithIndex}, {@code RDD.collect}). Here the task is a plain
 * named class (not a lambda, so the cleaner has nothing to clean and returns at once) handed
 * straight to {@code SparkContext.runJob} over the cached RDD: no intermediate RDD, no lambda.
 * The tasks, their scheduling and their recomputation after an executor loss are Spark's as
 * before; only the driver-side cost per job is lower.
 */
abstract class BlockTask<R> extends AbstractFunction2<TaskContext, scala.collection.Iterator<DataBlock>, R>
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The result of one partition (its index and its block). */
  abstract R call(int partition, DataBlock block);

  @Override
  public final R apply(TaskContext context, scala.collection.Iterator<DataBlock> blocks) {
    if (!blocks.hasNext()) throw new IllegalStateException("partition " + context.partitionId() + " has no block");
    return call(context.partitionId(), blocks.next());
  }

  /** Runs the task on every partition of {@code blocks}: the results in partition order. */
  @SuppressWarnings("unchecked")
  static <R> List<R> run(JavaSparkContext jsc, JavaRDD<DataBlock> blocks, BlockTask<R> task, Class<R> type) {
    Object results = jsc.sc().runJob(blocks.rdd(), task, ClassTag$.MODULE$.apply(type));
    return Arrays.asList((R[]) results);
  }
}
