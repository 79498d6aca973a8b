package io.adaspark.config;

import io.adaspark.check.InvalidValueException;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.List;

/**
 * The job file's {@code report}: how the report chooses each optimizer's best configuration.
 * Read by the report from the manifest's copy of the job file; checked here with the rest of
 * the file, so that a bad value stops the job before Spark starts.
 *
 * @param selectBy {@code train_loss} (default: the lowest median final training loss),
 *     {@code validation_loss} (the lowest median final validation loss) or
 *     {@code validation_accuracy} (the highest median final validation accuracy); the
 *     validation criteria need {@code data.validation_fraction} &gt; 0
 */
public record ReportSpec(String selectBy) implements Serializable {
  public static final List<String> SELECT_BY = List.of("train_loss", "validation_loss", "validation_accuracy");
  public static final ReportSpec DEFAULT = new ReportSpec("train_loss");

  @JsonCreator
  public static ReportSpec of(@JsonProperty("select_by") String selectBy) {
    String s = selectBy == null ? "train_loss" : selectBy;
    if (!SELECT_BY.contains(s)) {
      throw new InvalidValueException("report", "select_by", "one of \"" + String.join("\", \"", SELECT_BY) + "\"",
          '"' + s + '"');
    }
    return new ReportSpec(s);
  }

  @JsonProperty("select_by") public String selectBy() { return selectBy; }
}
