package io.adaspark.config;

import io.adaspark.check.JobFileException;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.adaspark.check.Mix;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Expands sweep syntax on the JSON tree, before strict binding. A field is sweepable when the
 * record it binds to declares it a number ({@code double}, {@code int}, {@code long}, boxed or
 * not) or an array of numbers ({@code double[]}, {@code int[]}); the declared type is read from
 * the {@code @JsonCreator} parameters of the concrete class (chosen by the node's {@code type}).
 * For a number field, a JSON list is a grid axis and an object with exactly one of
 * {@code logUniform}, {@code uniform}, {@code intUniform}, {@code choice} is a distribution; for
 * an array field, a list of lists is a grid axis (a plain list is the value itself) and
 * {@code choice} of lists a distribution. Anything else is left for the binder to judge.
 */
final class SweepExpander {
  static final Set<String> DISTRIBUTIONS = Set.of("logUniform", "uniform", "intUniform", "choice");

  /** One concrete point: the tree and, per relative field path, where its value came from. */
  record Variant(ObjectNode node, Map<String, String> origins, JsonNode raw) {
    Variant(ObjectNode node, Map<String, String> origins) {
      this(node, origins, node);
    }

    /** The tree to bind. */
    JsonNode tree() {
      return raw;
    }
  }

  /** A sweepable field found in an object: its relative path and its axis or distribution. */
  private record Axis(String rel, List<JsonNode> values) {}

  private record Dist(String rel, String kind, JsonNode args, boolean integral) {}

  /** Makes the exception for an error at a JSON path (the loader's, which adds the line and column). */
  interface Errors {
    JobFileException at(String path, String what);
  }

  private final Errors errors;
  private final String path;

  SweepExpander(Errors errors, String path) {
    this.errors = errors;
    this.path = path;
  }

  /**
   * Expands {@code obj} (bound later to {@code target}); {@code nested} names child objects that
   * are themselves configs (e.g. {@code schedule}, {@code clip}) and are expanded together with it.
   * {@code samples} is the number of random draws (0 = none allowed); {@code rngSeed} seeds them.
   */
  List<Variant> expand(ObjectNode obj, Class<?> target, Map<String, Class<?>> nested, int samples,
                       long rngSeed, boolean allowDistributions, Set<String> only) {
    List<Axis> axes = new ArrayList<>();
    List<Dist> dists = new ArrayList<>();
    collect(obj, target, "", axes, dists, allowDistributions);
    if (only != null) {
      axes.removeIf(a -> !only.contains(a.rel()));
      dists.removeIf(d -> !only.contains(d.rel()));
    }
    for (Map.Entry<String, Class<?>> e : nested.entrySet()) {
      JsonNode child = obj.get(e.getKey());
      if (child != null && child.isObject()) {
        collect((ObjectNode) child, e.getValue(), e.getKey(), axes, dists, allowDistributions);
      }
    }
    if (!dists.isEmpty() && samples == 0) {
      throw error(join(path, dists.get(0).rel()), "a distribution needs \"samples\": N in " + (path.isEmpty() ? "the job" : path));
    }
    if (dists.isEmpty() && samples > 0) {
      throw error(join(path, "samples"), "no distribution to sample (use logUniform, uniform, intUniform or choice)");
    }
    // Draws first (fixed order: sample, then field order), so they do not depend on the grid.
    List<Map<String, JsonNode>> draws = new ArrayList<>();
    for (int s = 0; s < Math.max(1, samples); s++) {
      Map<String, JsonNode> d = new LinkedHashMap<>();
      for (int f = 0; f < dists.size(); f++) {
        // A uniform in [0, 1) from a hash of (seed, sample, field): defined by this code alone,
        // so the draws are the same on every JDK.
        double u = (Mix.mix(0x5eedL, rngSeed, s, f) >>> 11) * 0x1.0p-53;
        d.put(dists.get(f).rel(), draw(dists.get(f), u));
      }
      draws.add(d);
    }
    List<Variant> out = new ArrayList<>();
    int[] idx = new int[axes.size()];
    while (true) {
      for (int s = 0; s < draws.size(); s++) {
        ObjectNode copy = obj.deepCopy();
        Map<String, String> origins = new LinkedHashMap<>();
        for (int a = 0; a < axes.size(); a++) {
          set(copy, axes.get(a).rel(), axes.get(a).values().get(idx[a]));
          origins.put(axes.get(a).rel(), axes.get(a).rel() + "[" + idx[a] + "]");
        }
        for (Map.Entry<String, JsonNode> d : draws.get(s).entrySet()) {
          set(copy, d.getKey(), d.getValue());
          origins.put(d.getKey(), d.getKey() + " (sample " + s + ": " + d.getValue() + ")");
        }
        out.add(new Variant(copy, origins));
      }
      int a = axes.size() - 1;
      while (a >= 0 && ++idx[a] == axes.get(a).values().size()) idx[a--] = 0;
      if (a < 0) break;
    }
    return out;
  }

  private void collect(ObjectNode obj, Class<?> target, String prefix, List<Axis> axes, List<Dist> dists,
                       boolean allowDistributions) {
    Map<String, Type> declared = declaredFields(obj, target);
    for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      Type t = declared.get(f.getKey());
      if (t == null) continue;
      String rel = join(prefix, f.getKey());
      JsonNode v = f.getValue();
      boolean number = isNumber(t);
      boolean array = t == double[].class || t == int[].class || t == long[].class;
      if (!number && !array) continue;
      if (v.isArray() && (number || (v.size() > 0 && allArrays(v)))) {
        if (v.isEmpty()) throw error(join(path, rel), "expected a number or a non-empty list (grid axis), got []");
        List<JsonNode> values = new ArrayList<>();
        v.forEach(values::add);
        axes.add(new Axis(rel, values));
      } else if (v.isObject() && v.size() == 1 && DISTRIBUTIONS.contains(v.fieldNames().next())) {
        String kind = v.fieldNames().next();
        if (!allowDistributions) {
          throw error(join(path, rel), "distributions belong to optimizer entries (with \"samples\"); use a list (grid) here");
        }
        if (array && !kind.equals("choice")) {
          throw error(join(join(path, rel), kind), "an array field takes {\"choice\": [[...], ...]} only");
        }
        checkDistribution(join(join(path, rel), kind), kind, v.get(kind));
        dists.add(new Dist(rel, kind, v.get(kind), t == int.class || t == Integer.class
            || t == long.class || t == Long.class));
      }
    }
  }

  private void checkDistribution(String at, String kind, JsonNode args) {
    if (kind.equals("choice")) {
      if (!args.isArray() || args.isEmpty()) throw error(at, "expected a non-empty list of values, got " + args);
      return;
    }
    if (!args.isArray() || args.size() != 2 || !args.get(0).isNumber() || !args.get(1).isNumber()) {
      throw error(at, "expected [low, high], got " + args);
    }
    double lo = args.get(0).doubleValue();
    double hi = args.get(1).doubleValue();
    if (!(lo <= hi) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
      throw error(at, "expected finite low <= high, got " + args);
    }
    if (kind.equals("logUniform") && !(lo > 0)) throw error(at, "expected 0 < low <= high, got " + args);
    if (kind.equals("intUniform") && (!args.get(0).isIntegralNumber() || !args.get(1).isIntegralNumber())) {
      throw error(at, "expected integers [low, high], got " + args);
    }
  }

  private static JsonNode draw(Dist d, double u) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    JsonNode a = d.args();
    switch (d.kind()) {
      case "choice":
        return a.get((int) Math.min(a.size() - 1, (long) (u * a.size()))).deepCopy();
      case "intUniform": {
        long lo = a.get(0).longValue();
        long span = a.get(1).longValue() - lo + 1;
        return f.numberNode(lo + Math.min(span - 1, (long) (u * span)));
      }
      case "uniform": {
        double x = a.get(0).doubleValue() + u * (a.get(1).doubleValue() - a.get(0).doubleValue());
        return d.integral() ? f.numberNode(Math.round(x)) : f.numberNode(x);
      }
      default: {
        double lo = Math.log(a.get(0).doubleValue());
        double hi = Math.log(a.get(1).doubleValue());
        double x = Math.exp(lo + u * (hi - lo));
        return d.integral() ? f.numberNode(Math.round(x)) : f.numberNode(x);
      }
    }
  }

  private static boolean allArrays(JsonNode v) {
    for (JsonNode e : v) if (!e.isArray()) return false;
    return true;
  }

  private static boolean isNumber(Type t) {
    return t == double.class || t == Double.class || t == float.class || t == Float.class
        || t == int.class || t == Integer.class || t == long.class || t == Long.class;
  }

  private static void set(ObjectNode root, String rel, JsonNode value) {
    int dot = rel.indexOf('.');
    if (dot < 0) {
      root.set(rel, value);
    } else {
      set((ObjectNode) root.get(rel.substring(0, dot)), rel.substring(dot + 1), value);
    }
  }

  /**
   * The declared type of each JSON property of the concrete class {@code obj} binds to: the
   * parameters of its {@code @JsonCreator} factory or constructor. Empty when the class cannot be
   * resolved (unknown type name: the binder reports it).
   */
  static Map<String, Type> declaredFields(ObjectNode obj, Class<?> target) {
    Class<?> concrete = target;
    if (target.isAnnotationPresent(JsonTypeInfo.class)) {
      JsonNode type = obj.get(target.getAnnotation(JsonTypeInfo.class).property());
      concrete = null;
      JsonSubTypes st = target.getAnnotation(JsonSubTypes.class);
      if (type != null && type.isTextual() && st != null) {
        for (JsonSubTypes.Type s : st.value()) {
          if (s.name().equals(type.asText()) || List.of(s.names()).contains(type.asText())) concrete = s.value();
        }
      }
      if (concrete == null) return Map.of();
    }
    Map<String, Type> out = new LinkedHashMap<>();
    List<Executable> creators = new ArrayList<>();
    for (Method m : concrete.getDeclaredMethods()) if (m.isAnnotationPresent(JsonCreator.class)) creators.add(m);
    for (var c : concrete.getDeclaredConstructors()) if (c.isAnnotationPresent(JsonCreator.class)) creators.add(c);
    for (Executable c : creators) {
      Class<?> delegate = c.getParameterCount() == 1 ? c.getParameterTypes()[0] : null;
      if (c.getAnnotation(JsonCreator.class).mode() == JsonCreator.Mode.DELEGATING && delegate != null
          && delegate.isRecord()) {
        out.putAll(recordFields(delegate));
        continue;
      }
      for (Parameter p : c.getParameters()) {
        JsonProperty jp = p.getAnnotation(JsonProperty.class);
        if (jp != null) out.put(jp.value(), p.getParameterizedType());
      }
    }
    return out;
  }

  /**
   * The JSON properties of a record a delegating creator reads (e.g. {@code Adam.Fields}, shared
   * by {@code adam} and {@code adamw}): each component by its {@code @JsonProperty} name, else its own.
   */
  private static Map<String, Type> recordFields(Class<?> record) {
    Map<String, Type> out = new LinkedHashMap<>();
    var components = record.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) types[i] = components[i].getType();
    Parameter[] params;
    try {
      params = record.getDeclaredConstructor(types).getParameters();
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("a record without its canonical constructor: " + record, e);
    }
    for (int i = 0; i < components.length; i++) {
      JsonProperty jp = params[i].getAnnotation(JsonProperty.class);
      out.put(jp != null ? jp.value() : components[i].getName(), components[i].getGenericType());
    }
    return out;
  }

  private JobFileException error(String at, String what) {
    return errors.at(at, what);
  }

  static String join(String a, String b) {
    return JobLoader.join(a, b);
  }
}
