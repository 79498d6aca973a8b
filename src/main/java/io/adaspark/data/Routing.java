package io.adaspark.data;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.Partitioner;
import scala.Tuple2;

/**
 * Where a row goes in the loader's single shuffle: train rows of partition p (by
 * {@link RowPartitioner}) to reduce partition p, test rows to P + p. Train and test thus travel
 * in one shuffle of 2P partitions; {@link DatasetLoader} exposes partitions 0..P−1 as the
 * training blocks and P..2P−1 as the test blocks. With a validation split, validation rows go
 * to 2P + p (3P partitions); without one the shuffle is exactly the 2P of before.
 */
final class Routing implements Serializable {
  private static final long serialVersionUID = 1L;
  final int partitions;
  final long splitSeed;
  final double testFraction;
  final double validationFraction;

  Routing(int partitions, long splitSeed, double testFraction) {
    this(partitions, splitSeed, testFraction, 0);
  }

  Routing(int partitions, long splitSeed, double testFraction, double validationFraction) {
    this.partitions = partitions;
    this.splitSeed = splitSeed;
    this.testFraction = testFraction;
    this.validationFraction = validationFraction;
  }

  /** Reduce partitions: 2P, or 3P with a validation split. */
  int targets() {
    return (validationFraction > 0 ? 3 : 2) * partitions;
  }

  /**
   * The reduce partition of a row: its RowPartitioner partition, plus P for a test row, plus 2P
   * for a validation row.
   */
  int target(long id) {
    int p = RowPartitioner.partition(id, partitions);
    return DatasetLoader.split(splitSeed, testFraction, validationFraction, id) * partitions + p;
  }

  /** 2P partitions, the key being the target partition itself. */
  static final class Targets extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int n;

    Targets(int n) {
      this.n = n;
    }

    @Override public int numPartitions() { return n; }

    @Override public int getPartition(Object key) { return (Integer) key; }

    @Override public boolean equals(Object o) { return o instanceof Targets t && t.n == n; }

    @Override public int hashCode() { return n; }
  }

  /** A source's rows one at a time: after {@link #advance()}, the row's identity, parsed form and size. */
  abstract static class Rows {
    long id;
    TextParsers.Parsed parsed;
    int size;

    abstract boolean advance();
  }

  /**
   * The map side of the shuffle: rows packed into one chunk per target partition, each sent
   * as (target, bytes) when full, the rest at the end.
   */
  Iterator<Tuple2<Integer, byte[]>> chunks(Rows rows) {
    Chunk.Writer[] w = new Chunk.Writer[targets()];
    // Up to 256 kB of values a chunk (never a humongous object, see Chunk.MAX_VALUES), smaller
    // with many partitions: a task's open chunks stay small.
    int maxValues = Math.max(1 << 12, Math.min(Chunk.MAX_VALUES, Chunk.TASK_VALUES / w.length));
    for (int t = 0; t < w.length; t++) w[t] = new Chunk.Writer(maxValues);
    return new Iterator<>() {
      final ArrayDeque<Tuple2<Integer, byte[]>> ready = new ArrayDeque<>();
      boolean done;

      @Override public boolean hasNext() {
        while (ready.isEmpty() && !done) {
          if (rows.advance()) {
            int t = target(rows.id);
            Chunk.Writer cw = w[t];
            if (cw.size() >= 0 && cw.size() != rows.size) ready.add(new Tuple2<>(t, cw.take()));
            cw.add(rows.id, rows.parsed, rows.size);
            if (cw.full()) ready.add(new Tuple2<>(t, cw.take()));
          } else {
            done = true;
            for (int t = 0; t < w.length; t++) if (!w[t].isEmpty()) ready.add(new Tuple2<>(t, w[t].take()));
          }
        }
        return !ready.isEmpty();
      }

      @Override public Tuple2<Integer, byte[]> next() {
        if (!hasNext()) throw new NoSuchElementException();
        return ready.poll();
      }
    };
  }
}
