package io.adaspark.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each value of a job file stands (line and column, 1-based), by the JSON path the loader's
 * messages use ({@code optimizers[0].lr}, {@code optimizers[0].betas[1]}, {@code training}), so
 * that a semantic error reads like a syntax error: {@code job.json:6:11: optimizers[0].lr:
 * expected a number > 0, got -0.001 (sgd)}.
 *
 * <p>Built from the text with Jackson's streaming parser, only when an error is reported. A path
 * that is not in the file (a missing value) takes the location of the nearest enclosing value
 * that is: its parent object. A grid point or random draw named in a message
 * ({@code optimizers[0] lr[1]}, {@code optimizers[0].lr (sample 3: 0.01)}) takes the location
 * of the list element or distribution it came from.
 */
final class JsonLocations {
  /** A 1-based line and column. */
  record Location(int line, int column) {
    @Override
    public String toString() {
      return line + ":" + column;
    }
  }

  private final Map<String, Location> values = new HashMap<>();

  private JsonLocations() {}

  /** The locations of every value of {@code text}; empty if it is not valid JSON. */
  static JsonLocations of(String text) {
    JsonLocations l = new JsonLocations();
    try (JsonParser p = new JsonFactory().createParser(text)) {
      if (p.nextToken() != null) l.walk(p, "");
    } catch (IOException | RuntimeException e) {
      // Syntax errors are reported by the tree reader, with their own location.
    }
    return l;
  }

  private void walk(JsonParser p, String path) throws IOException {
    values.putIfAbsent(path, at(p.currentTokenLocation()));
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String child = JobLoader.join(path, p.currentName());
        p.nextToken();
        walk(p, child);
      }
    } else if (t == JsonToken.START_ARRAY) {
      int i = 0;
      while (p.nextToken() != JsonToken.END_ARRAY) {
        walk(p, path + "[" + i++ + "]");
      }
    }
  }

  private static Location at(JsonLocation l) {
    return new Location(l.getLineNr(), l.getColumnNr());
  }

  /** Where the value of {@code path} stands, or its nearest enclosing value; null if none is known. */
  Location value(String path) {
    return find(values, normalize(path));
  }

  /**
   * The prefix of a message about {@code path} in {@code source}: {@code source:line:column: },
   * or {@code source: } when the location is unknown.
   */
  String prefix(String source, String path) {
    Location l = value(path);
    return source + (l == null ? "" : ":" + l) + ": ";
  }

  /**
   * The plain path of a message's path: without a draw's "(sample ...)", and with a grid point
   * written {@code optimizers[0] lr[1] momentum[0]} reduced to its first axis, {@code optimizers[0].lr[1]}.
   */
  static String normalize(String path) {
    String p = path;
    int paren = p.indexOf(" (");
    if (paren >= 0) p = p.substring(0, paren);
    String[] parts = p.split(" ");
    return parts.length > 1 ? JobLoader.join(parts[0], parts[1]) : parts[0];
  }

  private static Location find(Map<String, Location> map, String path) {
    String p = path;
    while (true) {
      Location l = map.get(p);
      if (l != null || p.isEmpty()) return l;
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut < 0 ? "" : p.substring(0, cut);
    }
  }
}
