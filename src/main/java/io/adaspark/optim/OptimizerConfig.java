package io.adaspark.optim;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.io.Serializable;

/**
 * Immutable, validated hyper-parameters of one optimizer. Read from and written to job files
 * by registered type name ({@code "type": "adam"}) — never by class name. Names and defaults
 * are torch.optim's ({@code lr}, {@code weight_decay}, {@code betas}, ...).
 *
 * <p>Every subtype is registered in {@link JsonSubTypes} below.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Sgd.Config.class, name = "sgd"),
    @JsonSubTypes.Type(value = Adam.Config.class, name = "adam"),
    @JsonSubTypes.Type(value = AdamW.Config.class, name = "adamw"),
    @JsonSubTypes.Type(value = Adagrad.Config.class, name = "adagrad"),
    @JsonSubTypes.Type(value = RmsProp.Config.class, name = "rmsprop"),
    @JsonSubTypes.Type(value = Adadelta.Config.class, name = "adadelta"),
    @JsonSubTypes.Type(value = Adamax.Config.class, name = "adamax"),
    @JsonSubTypes.Type(value = NAdam.Config.class, name = "nadam"),
    @JsonSubTypes.Type(value = RAdam.Config.class, name = "radam"),
    @JsonSubTypes.Type(value = Lion.Config.class, name = "lion"),
    @JsonSubTypes.Type(value = Lamb.Config.class, name = "lamb"),
    @JsonSubTypes.Type(value = Lars.Config.class, name = "lars"),
    @JsonSubTypes.Type(value = Adafactor.Config.class, name = "adafactor"),
    @JsonSubTypes.Type(value = ScheduleFreeSgd.Config.class, name = "schedulefree_sgd"),
    @JsonSubTypes.Type(value = ScheduleFreeAdamW.Config.class, name = "schedulefree_adamw"),
    @JsonSubTypes.Type(value = Prodigy.Config.class, name = "prodigy"),
    @JsonSubTypes.Type(value = Adan.Config.class, name = "adan"),
})
public interface OptimizerConfig extends Serializable {
  /** The registered type name, e.g. {@code adam}. */
  @JsonIgnore
  String typeName();

  /** Base learning rate (the schedule's starting point). */
  double lr();

  /** A fresh optimizer (state at zero / initial values) for {@code numParams} parameters. */
  Optimizer create(int numParams);

  /**
   * A fresh optimizer for a vector laid out as {@code layout}. The blocked optimizers (LAMB, LARS,
   * Adafactor) work per block; every other optimizer is elementwise and this is
   * {@code create(layout.numParams())}. {@link #create(int)} of a blocked optimizer treats the
   * whole vector as one 1-D block ({@link ParamBlocks#single}).
   */
  default Optimizer create(ParamBlocks layout) {
    return create(layout.numParams());
  }

  /**
   * Where this optimizer's runs are evaluated: {@code "theta"} (the one point every optimizer but
   * Schedule-Free has) or {@code "x"} (Schedule-Free: gradients at y, the model is the average x).
   */
  @JsonIgnore
  default String evaluationPoint() {
    return "theta";
  }

  /** Doubles of state per parameter. */
  @JsonIgnore
  int stateSizePerParam();
}
