package io.adaspark.ml;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The Params of the adaptive estimators and their models, created for one owner (so each
 * {@code Param}'s parent is the owner's uid, as MLlib's shared params are). Validation happens
 * at {@code fit} ({@link AdaptiveFit}), not at {@code set}: every value may go into a
 * {@code ParamGridBuilder} grid, and a bad one fails the fit with the message of the job file's
 * strict loader.
 */
final class AdaptiveParamSet implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  final IntParam maxIter;
  final DoubleParam regParam;
  final DoubleParam tol;
  final LongParam seed;
  final Param<String> optimizer;
  final DoubleParam learningRate;
  final IntParam batchSize;
  final Param<String> optimizerParams;
  final Param<String> schedule;
  final Param<String> clip;
  final IntParam numPartitions;
  final IntParam evalEvery;
  final Param<String> family;
  final IntArrayParam layers;
  final Param<String> activation;

  AdaptiveParamSet(Params owner) {
    maxIter = new IntParam(owner, "maxIter", "maximum number of iterations: optimizer steps (>= 1)");
    regParam = new DoubleParam(owner, "regParam", "regularization parameter (>= 0): the penalty 0.5*regParam*||W||^2, "
        + "intercepts excluded (adaspark's l2)");
    tol = new DoubleParam(owner, "tol", "the convergence tolerance: stop once the full training objective changes by "
        + "at most tol*max(1,|f|) between two evaluations (>= 0; 0 never stops early)");
    seed = new LongParam(owner, "seed", "random seed: the initial parameters and the mini-batch order");
    optimizer = new Param<>(owner, "optimizer", "optimizer type name: sgd, adam, adamw, adagrad, rmsprop, adadelta, "
        + "adamax, nadam, radam");
    learningRate = new DoubleParam(owner, "learningRate", "the optimizer's base learning rate lr (> 0)");
    batchSize = new IntParam(owner, "batchSize", "rows per mini-batch step (>= 1)");
    optimizerParams = new Param<>(owner, "optimizerParams", "the optimizer's other hyper-parameters as the JSON of "
        + "a job file's optimizer entry without type and lr, e.g. {\"betas\": [0.9, 0.99], \"eps\": 1e-6}");
    schedule = new Param<>(owner, "schedule", "learning-rate schedule as the JSON of a job file's schedule, e.g. "
        + "{\"type\": \"cosine\", \"T_max\": 300}; empty for a constant lr");
    clip = new Param<>(owner, "clip", "gradient clipping as the JSON of a job file's clip, e.g. {\"max_norm\": 5}; "
        + "empty for none");
    numPartitions = new IntParam(owner, "numPartitions", "data partitions of the training blocks (>= 1); part of the "
        + "configuration, so results never depend on the cluster");
    evalEvery = new IntParam(owner, "evalEvery", "evaluate the full training objective every this many steps, plus "
        + "step 0 and the last (>= 0; 0: maxIter/20)");
    family = new Param<>(owner, "family", "logistic regression family: auto, binomial or multinomial");
    layers = new IntArrayParam(owner, "layers", "sizes of the layers from input to output: [features, hidden..., "
        + "classes]");
    activation = new Param<>(owner, "activation", "hidden-layer activation: sigmoid, tanh or relu");
  }

  /** MLlib's defaults where the name exists (maxIter 100, regParam 0, tol 1e-6, seed), adaspark's otherwise. */
  void setDefaults(AdaptiveParams p, boolean mlp) {
    p.setDefault(maxIter, 100);
    p.setDefault(regParam, 0.0);
    p.setDefault(tol, 1e-6);
    p.setDefault(seed, (long) p.getClass().getName().hashCode());
    p.setDefault(optimizer, "adam");
    p.setDefault(learningRate, 0.01);
    p.setDefault(batchSize, 32);
    p.setDefault(optimizerParams, "{}");
    p.setDefault(schedule, "");
    p.setDefault(clip, "");
    p.setDefault(numPartitions, 4);
    p.setDefault(evalEvery, 0);
    if (mlp) p.setDefault(activation, "sigmoid");
    else p.setDefault(family, "auto");
  }
}
