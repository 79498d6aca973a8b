package io.adaspark.data;

import java.io.Serializable;
import org.apache.spark.ml.linalg.Vector;

/** One input row on its way into a block (only during conversion, never in the hot loop). */
public record LabeledRow(double label, Vector features) implements Serializable {}
