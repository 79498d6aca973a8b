package io.adaspark.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * How input labels become class indices 0..K-1: as given, -1/+1 to 0/1, or string labels
 * numbered in sorted order (deterministic: the same data gives the same coding).
 */
public final class LabelCoding implements Serializable {
  private static final long serialVersionUID = 1L;
  private final boolean plusMinusOne;
  private final Map<String, Integer> strings;
  private final int classes;
  private final String description;

  private LabelCoding(boolean plusMinusOne, Map<String, Integer> strings, int classes, String description) {
    this.plusMinusOne = plusMinusOne;
    this.strings = strings;
    this.classes = classes;
    this.description = description;
  }

  static LabelCoding asGiven(int classes) {
    return new LabelCoding(false, null, classes, "as given (0.." + (classes - 1) + ")");
  }

  static LabelCoding plusMinusOne() {
    return new LabelCoding(true, null, 2, "-1 -> 0, +1 -> 1");
  }

  static LabelCoding strings(SortedSet<String> labels) {
    Map<String, Integer> m = new HashMap<>();
    List<String> parts = new ArrayList<>();
    for (String s : labels) {
      parts.add('"' + s + "\" -> " + m.size());
      m.put(s, m.size());
    }
    String desc = "strings in sorted order: " + (parts.size() <= 50 ? String.join(", ", parts)
        : String.join(", ", parts.subList(0, 50)) + ", ... (" + parts.size() + " labels)");
    return new LabelCoding(false, m, Math.max(2, m.size()), desc);
  }

  /** The class index of a numeric label. */
  double of(double label) {
    return plusMinusOne ? (label < 0 ? 0.0 : 1.0) : label;
  }

  /** The class index of a string label. */
  double of(String label) {
    Integer i = strings.get(label);
    if (i == null) throw new DataException("label \"" + label + "\" was not seen when the labels were indexed");
    return i;
  }

  boolean isString() { return strings != null; }
  public int classes() { return classes; }
  public String description() { return description; }
}
