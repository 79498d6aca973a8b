package io.adaspark.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Parsing and validating one line of LIBSVM or CSV text. A bad line throws
 * {@link BadLine} with what is wrong; the caller adds the file and line.
 */
final class TextParsers {
  private TextParsers() {}

  /** What is wrong with a line (no stack trace: it is turned into a located error). */
  static final class BadLine extends Exception {
    private static final long serialVersionUID = 1L;

    BadLine(String what) {
      super(what, null, false, false);
    }
  }

  /** One parsed row: a numeric or string label, and the features (sparse or dense). */
  static final class Parsed {
    double label;
    String stringLabel;
    /** Sparse: 0-based increasing indices and their values (zeros may be present). */
    int[] idx;
    double[] val;
    int nnz;
    /** The number of features this row has (Parquet). */
    int size;
    /** Dense: all values (CSV). */
    double[] dense;
  }

  /** A number, or a BadLine saying {@code what} is not one. Accepts decimal and exponent forms only. */
  static double number(String s, String what) throws BadLine {
    if (s.isEmpty()) throw new BadLine(what + " is empty");
    String t = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
    if (t.equalsIgnoreCase("nan") || t.equalsIgnoreCase("inf") || t.equalsIgnoreCase("infinity")) {
      throw new BadLine(what + " " + s + " is not a finite number");
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
        throw new BadLine(what + " \"" + s + "\" is not a number");
      }
    }
    double v;
    try {
      v = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new BadLine(what + " \"" + s + "\" is not a number");
    }
    if (!Double.isFinite(v)) throw new BadLine(what + " " + s + " is not a finite number (overflows a double)");
    return v;
  }

  /** A numeric label: a whole number from -1 to the class limit. */
  static double label(String s) throws BadLine {
    return label(number(s, "label"), s);
  }

  /** A numeric label already read as a double ({@code s} shows it in messages). */
  static double label(double v, String s) throws BadLine {
    if (!Double.isFinite(v)) throw new BadLine("label " + s + " is not a finite number");
    if (v != Math.rint(v) || v < -1 || v >= DatasetLoader.MAX_CLASSES) {
      throw new BadLine("label " + s + " out of range: expected a class index 0..K-1, or -1/+1 for binary");
    }
    return v == 0 ? 0.0 : v; // -0 -> 0
  }

  /** Strips a {@code #} comment and surrounding white space (including a CR). */
  static String content(String line, boolean hashAnywhere) {
    String t = line;
    if (hashAnywhere) {
      int h = t.indexOf('#');
      if (h >= 0) t = t.substring(0, h);
    }
    t = t.strip();
    if (!hashAnywhere && t.startsWith("#")) return "";
    return t;
  }

  /**
   * A LIBSVM line {@code label idx:value ...} (1-based, strictly increasing indices), or null
   * for a blank or comment line.
   *
   * @param numFeatures the largest index allowed, or -1 when d is inferred
   */
  static Parsed libsvm(String line, int numFeatures, Parsed out) throws BadLine {
    String t = content(line, true);
    if (t.isEmpty()) return null;
    String[] tok = t.split("[ \t]+");
    out.label = label(tok[0]);
    out.stringLabel = null;
    int n = tok.length - 1;
    if (out.idx == null || out.idx.length < n) {
      out.idx = new int[Math.max(n, 16)];
      out.val = new double[Math.max(n, 16)];
    }
    int prev = 0;
    for (int k = 0; k < n; k++) {
      String pair = tok[k + 1];
      int colon = pair.indexOf(':');
      if (colon < 0) throw new BadLine("\"" + pair + "\" is not index:value (missing ':')");
      String is = pair.substring(0, colon);
      long index;
      try {
        index = Long.parseLong(is);
      } catch (NumberFormatException e) {
        throw new BadLine("index \"" + is + "\" is not an integer");
      }
      if (index == 0) throw new BadLine("index 0: LIBSVM indices start at 1");
      if (index < 0) throw new BadLine("negative index " + index);
      if (numFeatures >= 0 && index > numFeatures) {
        throw new BadLine("index " + index + " above num_features = " + numFeatures);
      }
      if (index > Integer.MAX_VALUE - 16) throw new BadLine("index " + index + " too large");
      if (index == prev) throw new BadLine("index " + index + " repeated");
      if (index < prev) throw new BadLine("index " + index + " after " + prev + ": indices must increase");
      out.idx[k] = (int) index - 1;
      out.val[k] = number(pair.substring(colon + 1), "value of index " + index);
      prev = (int) index;
    }
    out.nnz = n;
    out.dense = null;
    return out;
  }

  /** The cells of a CSV line: comma-separated, optionally double-quoted ("" inside quotes is a quote). */
  static List<String> cells(String t) throws BadLine {
    List<String> cells = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < t.length() && t.charAt(i + 1) == '"') {
            cur.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          cur.append(c);
        }
      } else if (c == '"' && cur.toString().isBlank()) {
        quoted = true;
        wasQuoted = true;
        cur.setLength(0);
      } else if (c == ',') {
        cells.add(wasQuoted ? cur.toString() : cur.toString().strip());
        cur.setLength(0);
        wasQuoted = false;
      } else {
        cur.append(c);
      }
    }
    if (quoted) throw new BadLine("unterminated quote");
    cells.add(wasQuoted ? cur.toString() : cur.toString().strip());
    return cells;
  }

  /**
   * A CSV data line against its header, or null for a blank or comment line.
   *
   * @param header the column names; {@code labelCol} is the label's position
   */
  static Parsed csv(String line, String[] header, int labelCol, boolean stringLabels, Parsed out) throws BadLine {
    String t = content(line, false);
    if (t.isEmpty()) return null;
    List<String> c = cells(t);
    if (c.size() != header.length) {
      throw new BadLine(c.size() + " cells, expected " + header.length + " (as in the header)");
    }
    int d = header.length - 1;
    if (out.dense == null || out.dense.length != d) out.dense = new double[d];
    String l = c.get(labelCol);
    if (l.isEmpty()) throw new BadLine("empty cell in column \"" + header[labelCol] + "\" (the label)");
    if (stringLabels) {
      out.stringLabel = l;
      out.label = Double.NaN;
    } else {
      try {
        out.label = label(l);
      } catch (BadLine e) {
        throw new BadLine(e.getMessage() + (e.getMessage().endsWith("is not a number")
            ? " (for string labels set \"label_type\": \"string\")" : ""));
      }
      out.stringLabel = null;
    }
    int j = 0;
    int nnz = 0;
    for (int i = 0; i < c.size(); i++) {
      if (i == labelCol) continue;
      String s = c.get(i);
      if (s.isEmpty()) throw new BadLine("empty cell in column \"" + header[i] + "\"");
      double v = number(s, "cell in column \"" + header[i] + "\":");
      out.dense[j++] = v;
      if (v != 0) nnz++;
    }
    out.nnz = nnz;
    out.idx = null;
    return out;
  }
}
