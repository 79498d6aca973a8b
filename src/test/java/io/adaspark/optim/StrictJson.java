package io.adaspark.optim;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The strict ObjectMapper the job-file loader uses (unknown fields, nulls and coercions fail). */
public final class StrictJson {
  private StrictJson() {}

  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .build();

  /** The root cause of a (possibly wrapped) deserialization failure. */
  public static Throwable rootCause(Throwable e) {
    Throwable c = e;
    while (c.getCause() != null && c.getCause() != c) c = c.getCause();
    return c;
  }
}
