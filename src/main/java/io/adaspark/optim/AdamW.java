package io.adaspark.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * AdamW: Adam with decoupled weight decay (Loshchilov &amp; Hutter 2019), as torch.optim.AdamW.
 *
 * <p>Each step first shrinks the weights, {@code w ← w·(1 − η_t·weight_decay)} with this step's
 * learning rate η_t, then applies the {@link Adam} update to the unmodified gradient g. Unlike
 * Adam's coupled L2 term, the decay does not pass through M and G, so it is not rescaled by the
 * adaptive denominator. The paper multiplies the decay by a schedule multiplier η_t/η_0 only;
 * torch (and this class) multiplies by the full η_t.
 *
 * <p>Defaults: as Adam but {@code weight_decay} 0.01; {@code amsgrad} and
 * {@code bias_correction} as in Adam. Memory: 2 doubles per parameter, 3 with AMSGrad.
 */
public final class AdamW {
  private AdamW() {}

  /** Hyper-parameters of AdamW; JSON type {@code adamw}: Adam's fields ({@link Adam.Fields}), decoupled decay. */
  @JsonTypeName("adamw")
  public record Config(double lr, Betas betas, double eps, @JsonProperty("weight_decay") double weightDecay,
                       boolean amsgrad, @JsonProperty("bias_correction") boolean biasCorrection)
      implements Adam.Form {
    static final String TYPE = "adamw";

    @Override
    public String typeName() {
      return TYPE;
    }

    /** Decoupled: {@code w ← w·(1 − η_t·weight_decay)} before Adam's update. */
    @Override
    public WeightDecay decay() {
      return WeightDecay.decoupled(weightDecay);
    }

    public Config {
      Params.checkAdamFamily(TYPE, lr, betas, eps, weightDecay);
    }

    /** Adam's fields with torch's AdamW defaults ({@code weight_decay} 0.01). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static Config of(Adam.Fields f) {
      return f.resolve(TYPE, 0.01, Config::new);
    }

    /** torch's defaults. */
    public static Config defaults() {
      return of(Adam.Fields.ABSENT);
    }

    /** The Java form of the JSON fields: absent (null) fields take torch's defaults. */
    public static Config fromJson(Double lr, double[] betas, Double beta1, Double beta2, Double eps,
                                  Double weightDecay, Boolean amsgrad, Boolean biasCorrection) {
      return of(new Adam.Fields(lr, betas, beta1, beta2, eps, weightDecay, amsgrad, biasCorrection));
    }
  }
}
