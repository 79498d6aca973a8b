package io.adaspark.optim;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The layout of a flat parameter vector as named tensors (the golden files' {@code param_layout}):
 * theta is the concatenation of the blocks in order, each flattened row-major (a matrix
 * {@code W[R][C]} at {@code offset + r·C + c}). Optimizers that work per tensor (LAMB and LARS
 * trust ratios, Adafactor's factored moments and update clipping) receive this value from
 * {@link OptimizerConfig#create(ParamBlocks)}; they never see the model. Elementwise optimizers
 * ignore it.
 *
 * @param blocks the blocks, contiguous from offset 0, in vector order
 */
public record ParamBlocks(List<Block> blocks) implements Serializable {

  /**
   * One tensor: its name (e.g. {@code W1}), first index in theta and shape ({@code [n]} for a
   * vector, {@code [R, C]} for a matrix; any dimensions &gt;= 1).
   */
  public record Block(String name, int offset, int[] shape) implements Serializable {
    public Block {
      Objects.requireNonNull(name, "name");
      shape = shape.clone();
      if (offset < 0) throw new IllegalArgumentException("block " + name + ": offset must be >= 0, got " + offset);
      long size = 1;
      for (int s : shape) {
        if (s < 1) throw new IllegalArgumentException("block " + name + ": dimensions must be >= 1, got "
            + Arrays.toString(shape));
        size *= s;
      }
      if (size > Integer.MAX_VALUE) throw new IllegalArgumentException("block " + name + ": too large");
    }

    /** Number of elements (the product of the shape; 1 for a scalar). */
    public int size() {
      int s = 1;
      for (int d : shape) s *= d;
      return s;
    }

    /** The shape (a copy). */
    @Override
    public int[] shape() {
      return shape.clone();
    }

    /** Number of dimensions. */
    public int dims() {
      return shape.length;
    }

    /** Size of dimension {@code i}. */
    public int dim(int i) {
      return shape[i];
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Block b && b.name.equals(name) && b.offset == offset && Arrays.equals(b.shape, shape);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, offset, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
      return name + Arrays.toString(shape) + "@" + offset;
    }
  }

  public ParamBlocks {
    blocks = List.copyOf(blocks);
    int next = 0;
    for (Block b : blocks) {
      if (b.offset() != next) {
        throw new IllegalArgumentException("param blocks must be contiguous from 0: block " + b.name()
            + " starts at " + b.offset() + ", expected " + next);
      }
      next += b.size();
    }
  }

  /** The whole vector as one 1-D block named {@code theta}: what a blocked optimizer assumes without a layout. */
  public static ParamBlocks single(int numParams) {
    return numParams == 0 ? new ParamBlocks(List.of()) : new ParamBlocks(List.of(new Block("theta", 0, new int[] {numParams})));
  }

  /** Builds a layout from (name, shape) pairs, offsets following in order. */
  public static ParamBlocks of(Object... nameShapePairs) {
    List<Block> bs = new ArrayList<>();
    int off = 0;
    for (int i = 0; i < nameShapePairs.length; i += 2) {
      Block b = new Block((String) nameShapePairs[i], off, (int[]) nameShapePairs[i + 1]);
      bs.add(b);
      off += b.size();
    }
    return new ParamBlocks(bs);
  }

  /** Total number of parameters (the sum of the block sizes). */
  public int numParams() {
    int n = 0;
    for (Block b : blocks) n += b.size();
    return n;
  }

  /** Number of blocks. */
  public int size() {
    return blocks.size();
  }

  /** Block {@code k}. */
  public Block get(int k) {
    return blocks.get(k);
  }

  @Override
  public String toString() {
    return blocks.toString();
  }
}
