package io.adaspark.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.io.Serializable;

/**
 * The job file's {@code model}: registered type names only ({@code "type": "logreg"}).
 * {@link #build} fixes the shape once the data's feature and class counts are known.
 *
 * <ul>
 *   <li>{@code logreg}: {@link LogRegConfig} (binary sigmoid or multinomial softmax)</li>
 *   <li>{@code mlp}: {@link MlpConfig} (fully connected, softmax cross-entropy output)</li>
 * </ul>
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LogRegConfig.class, name = "logreg"),
    @JsonSubTypes.Type(value = MlpConfig.class, name = "mlp"),
})
public interface ModelConfig extends Serializable {
  Model build(int numFeatures, int numClasses);
}
