package io.adaspark.config;

import io.adaspark.train.TrainingSpec;
import io.adaspark.train.RunSpec;

import io.adaspark.data.DataSpec;

import io.adaspark.check.Checks;
import io.adaspark.check.InvalidValueException;
import io.adaspark.check.JobFileException;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.adaspark.check.Mix;
import io.adaspark.model.ModelConfig;
import io.adaspark.optim.GradientClipping;
import io.adaspark.optim.OptimizerConfig;
import io.adaspark.optim.schedule.LrSchedule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads job files strictly: syntax errors with line and column; unknown fields, wrong types,
 * unknown type names and out-of-range values with the JSON path of the offending value and what
 * was expected. Polymorphic parts are bound by registered type name only.
 */
public final class JobLoader {
  private static final Set<String> TOP_LEVEL =
      Set.of("name", "data", "model", "training", "optimizers", "output", "optimum", "sweep_seed", "report",
          "scheduler");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private JobLoader() {}

  /** The strict mapper used for job files (and by tests of the config records). */
  public static ObjectMapper strictMapper() {
    JsonMapper m = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    for (LogicalType t : new LogicalType[] {LogicalType.Float, LogicalType.Integer,
        LogicalType.Boolean, LogicalType.Textual}) {
      m.coercionConfigFor(t).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }
    m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    return m;
  }

  private static final ObjectMapper MAPPER = strictMapper();

  /** Reads and validates a job file. */
  public static JobSpec load(Path file) {
    String name = file.toString();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new JobFileException(name + ": no such file");
    } catch (IOException e) {
      throw new JobFileException(name + ": cannot read: " + e.getMessage(), e);
    }
    return parse(text, name);
  }

  /** Parses and validates job-file text; {@code sourceName} names it in errors. */
  public static JobSpec parse(String text, String sourceName) {
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : ":" + e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr();
      throw new JobFileException(sourceName + where + ": invalid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || root.isMissingNode()) throw new JobFileException(sourceName + ": empty file");
    if (!root.isObject()) throw new JobFileException(sourceName + ": expected a JSON object at the top level");
    return new JobLoader.Binder(sourceName, text).job((ObjectNode) root, text);
  }

  /**
   * An error about the value at {@code path} of job-file {@code text}, with the line and column
   * where that value stands (of its parent object when it is missing), e.g.
   * {@code job.json:6:11: optimizers[0].lr: expected a number > 0, got -0.001 (sgd)}.
   */
  public static JobFileException errorAt(String sourceName, String text, String path, String what) {
    String prefix = text == null ? sourceName + ": " : JsonLocations.of(text).prefix(sourceName, path);
    return new JobFileException(prefix + (path.isEmpty() ? "" : path + ": ") + what);
  }

  /**
   * Binds one part of a job file (e.g. an optimizer entry as {@link io.adaspark.optim.OptimizerConfig})
   * with the same strictness and messages as a whole file: {@code sourceName: path.field:
   * expected …, got …}. For callers outside job files (the Spark ML estimators' JSON Params).
   */
  public static <T> T bind(JsonNode node, Class<T> type, String sourceName, String path) {
    return new JobLoader.Binder(sourceName, null).bind(node, type, path);
  }

  /** Binds the parts of one file, turning Jackson's exceptions into path-naming messages. */
  private static final class Binder {
    private final String source;
    private final String text;
    /** Where the file's values stand: built for the first error only. */
    private JsonLocations locations;
    /** While a grid point is bound: full field path -> where its value came from. */
    private final Map<String, String> rewrite = new LinkedHashMap<>();
    /** {@code training.steps} while the optimizers are bound (0: a budget in epochs, or none). */
    private long runSteps;

    Binder(String source, String text) {
      this.source = source;
      this.text = text;
    }

    JobSpec job(ObjectNode root, String text) {
      checkFields(root, "", TOP_LEVEL);
      String name = requiredText(root, "name");
      if (!NAME.matcher(name).matches()) {
        throw error("name", "expected a name of letters, digits, '.', '_' or '-', got " + root.get("name"));
      }
      DataSpec data = bind(required(root, "data"), DataSpec.class, "data");
      long sweepSeed = 0;
      if (root.has("sweep_seed")) {
        JsonNode ss = root.get("sweep_seed");
        if (!ss.isIntegralNumber() || !ss.canConvertToLong()) throw error("sweep_seed", "expected an integer, got " + ss);
        sweepSeed = ss.longValue();
      }
      List<ModelConfig> models = new ArrayList<>();
      for (SweepExpander.Variant v : variants(required(root, "model"), "model", ModelConfig.class, Map.of(), 0, 0,
          false, null)) {
        models.add(bindVariant(v, ModelConfig.class, "model"));
      }
      List<TrainingSpec> trainings = new ArrayList<>();
      for (SweepExpander.Variant v : variants(required(root, "training"), "training", TrainingSpec.class, Map.of(),
          0, 0, false, Set.of("batch_size"))) {
        trainings.add(bindVariant(v, TrainingSpec.class, "training"));
      }
      JsonNode opts = required(root, "optimizers");
      if (!opts.isArray() || opts.isEmpty()) {
        throw error("optimizers", "expected a non-empty array of optimizers, got " + opts);
      }
      List<RunSpec> runs = new ArrayList<>();
      runSteps = trainings.get(0).steps();
      for (int i = 0; i < opts.size(); i++) {
        runs.addAll(runSpecs(opts.get(i), "optimizers[" + i + "]", Mix.mix(sweepSeed, i)));
      }
      String output = root.has("output") ? requiredText(root, "output") : "out";
      OptimumSpec optimum = optimum(root.get("optimum"), models.get(0));
      report(root.get("report"), data);
      SchedulerSpec scheduler = root.hasNonNull("scheduler")
          ? SchedulerChecks.check(bind(root.get("scheduler"), SchedulerSpec.class, "scheduler"), data, trainings,
              (long) runs.size() * models.size() * trainings.size(), this::error)
          : null;
      return new JobSpec(name, data, models.get(0), trainings.get(0), runs, output, optimum, source, text, models,
          trainings, scheduler);
    }

    OptimumSpec optimum(JsonNode node, ModelConfig model) {
      if (node == null || node.isNull() || (node.isBoolean() && !node.asBoolean())) return null;
      OptimumSpec spec = node.isBoolean() ? OptimumSpec.DEFAULT
          : node.isObject() ? bind(node, OptimumSpec.class, "optimum")
          : null;
      if (spec == null) throw error("optimum", "expected true, false or an object, got " + node);
      if (!(model instanceof io.adaspark.model.LogRegConfig)) {
        throw error("optimum", "f* is computed for convex models only (logreg), not this model");
      }
      return spec;
    }

    /** Checks {@code report} (the report reads it from the manifest's copy of the job file). */
    ReportSpec report(JsonNode node, DataSpec data) {
      if (node == null) return ReportSpec.DEFAULT;
      if (!node.isObject()) throw error("report", "expected an object, got " + node);
      ReportSpec r = bind(node, ReportSpec.class, "report");
      if (r.selectBy().startsWith("validation") && data.validationFraction() == 0) {
        throw error("report.select_by", "\"" + r.selectBy() + "\" needs a validation split (data.validation_fraction > 0)");
      }
      return r;
    }

    List<SweepExpander.Variant> variants(JsonNode node, String path, Class<?> target, Map<String, Class<?>> nested,
                                         int samples, long rngSeed, boolean distributions, Set<String> only) {
      if (!node.isObject()) {
        return List.of(new SweepExpander.Variant(null, Map.of(), node));
      }
      return new SweepExpander(this::error, path).expand((ObjectNode) node, target, nested, samples, rngSeed,
          distributions, only);
    }

    <T> T bindVariant(SweepExpander.Variant v, Class<T> type, String path) {
      rewrite.clear();
      v.origins().forEach((rel, origin) -> rewrite.put(join(path, rel), join(path, origin)));
      try {
        return bind(v.tree(), type, path);
      } finally {
        rewrite.clear();
      }
    }

    /**
     * A {@code wsd} schedule without {@code total_steps} decays at the end of the run: it takes
     * {@code training.steps} (written into the entry, so the {@code config} column shows it). With
     * a budget in {@code epochs} it stays required.
     */
    void wsdTotalSteps(ObjectNode entry) {
      if (runSteps > 0 && entry.get("schedule") instanceof ObjectNode sch && sch.path("type").asText("").equals("wsd")
          && !sch.has("total_steps")) {
        sch.put("total_steps", runSteps);
      }
    }

    /** Every configuration of one optimizer entry: its grid axes crossed with its random draws. */
    List<RunSpec> runSpecs(JsonNode node, String path, long rngSeed) {
      if (!node.isObject()) throw error(path, "expected an object with a \"type\", got " + node);
      ObjectNode entry = ((ObjectNode) node).deepCopy();
      wsdTotalSteps(entry);
      JsonNode samplesNode = entry.remove("samples");
      int samples = 0;
      if (samplesNode != null) {
        if (!samplesNode.isIntegralNumber() || !samplesNode.canConvertToInt() || samplesNode.intValue() < 1) {
          throw error(join(path, "samples"), "expected an integer >= 1, got " + samplesNode);
        }
        samples = samplesNode.intValue();
      }
      Map<String, Class<?>> nested = new LinkedHashMap<>();
      nested.put("schedule", LrSchedule.class);
      nested.put("clip", GradientClipping.class);
      List<SweepExpander.Variant> vs = variants(entry, path, OptimizerConfig.class, nested, samples, rngSeed, true, null);
      List<RunSpec> out = new ArrayList<>();
      for (SweepExpander.Variant v : vs) {
        rewrite.clear();
        v.origins().forEach((rel, origin) -> rewrite.put(join(path, rel), join(path, origin)));
        try {
          RunSpec r = runSpec(v.tree(), path);
          String origin = vs.size() == 1 ? path : path + " " + String.join(" ", v.origins().values());
          out.add(new RunSpec(r.optimizer(), r.schedule(), r.clip(), origin));
        } finally {
          rewrite.clear();
        }
      }
      return out;
    }

    RunSpec runSpec(JsonNode node, String path) {
      if (!node.isObject()) throw error(path, "expected an object with a \"type\", got " + node);
      ObjectNode opt = ((ObjectNode) node).deepCopy();
      JsonNode schedule = opt.remove("schedule");
      JsonNode clip = opt.remove("clip");
      OptimizerConfig oc = bind(opt, OptimizerConfig.class, path);
      LrSchedule ls = schedule == null || schedule.isNull() ? null
          : bind(schedule, LrSchedule.class, path + ".schedule");
      GradientClipping gc = clip == null || clip.isNull() ? null
          : bind(clip, GradientClipping.class, path + ".clip");
      return new RunSpec(oc, ls, gc);
    }

    JsonNode required(ObjectNode obj, String field) {
      JsonNode n = obj.get(field);
      if (n == null || n.isNull()) throw error(field, "missing (required)");
      return n;
    }

    String requiredText(ObjectNode obj, String field) {
      JsonNode n = required(obj, field);
      if (!n.isTextual() || n.asText().isBlank()) throw error(field, "expected a non-empty string, got " + n);
      return n.asText();
    }

    void checkFields(ObjectNode obj, String path, Set<String> known) {
      for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!known.contains(f)) {
          throw error(join(path, f), "unknown field (known: " + String.join(", ", new TreeSet<>(known)) + ")");
        }
      }
    }

    <T> T bind(JsonNode node, Class<T> type, String path) {
      try {
        return MAPPER.treeToValue(node, type);
      } catch (InvalidTypeIdException e) {
        String at = join(path, pathOf(e));
        String id = e.getTypeId();
        String known = String.join(", ", typeNames(e.getBaseType().getRawClass()));
        if (id == null) {
          // A member such as "@class" where "type" belongs: a class-name gadget attempt, named as what it is.
          JsonNode obj = at(node, e.getPath());
          if (obj != null && obj.isObject()) {
            for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
              String f = it.next();
              if (f.startsWith("@")) {
                throw error(at, "unknown field \"" + f + "\" (types are chosen by \"type\" only, one of: " + known
                    + ")");
              }
            }
          }
          throw error(at, "missing \"type\" (one of: " + known + ")");
        }
        throw error(join(at, "type"), "unknown type \"" + id + "\" (known: " + known + ")");
      } catch (UnrecognizedPropertyException e) {
        Collection<Object> ids = e.getKnownPropertyIds();
        String known = ids == null ? "" : " (known: " + ids.stream().map(String::valueOf)
            .filter(s -> !s.equals("type")).sorted().collect(Collectors.joining(", ")) + ")";
        throw error(join(path, pathOf(e)), "unknown field" + known);
      } catch (ValueInstantiationException e) {
        Throwable c = e.getCause();
        if (c instanceof InvalidValueException ive) {
          String owner = ive.owner().isEmpty() ? "" : " (" + ive.owner() + ")";
          throw error(join(join(path, pathOf(e)), ive.field()),
              "expected " + ive.expected() + ", got " + ive.actual() + owner);
        }
        throw error(join(path, pathOf(e)), c == null ? e.getOriginalMessage() : c.getMessage());
      } catch (MismatchedInputException e) {
        String rel = pathOf(e);
        JsonNode found = at(node, e.getPath());
        String got = found == null ? "nothing" : found.toString();
        throw error(join(path, rel), "expected " + describe(e.getTargetType()) + ", got " + got);
      } catch (JsonMappingException e) {
        Throwable c = e.getCause();
        if (c instanceof InvalidValueException ive) {
          throw error(join(join(path, pathOf(e)), ive.field()),
              "expected " + ive.expected() + ", got " + ive.actual()
                  + (ive.owner().isEmpty() ? "" : " (" + ive.owner() + ")"));
        }
        throw error(join(path, pathOf(e)), e.getOriginalMessage());
      } catch (JsonProcessingException e) {
        throw error(path, e.getOriginalMessage());
      } catch (InvalidValueException e) {
        String owner = e.owner().isEmpty() ? "" : " (" + e.owner() + ")";
        throw error(join(path, e.field()), "expected " + e.expected() + ", got " + e.actual() + owner);
      }
    }

    /** An error about the value at {@code path}, located where that value stands (or its parent object, if missing). */
    JobFileException error(String path, String what) {
      String p = original(path);
      if (text == null) return new JobFileException(source + ": " + (p.isEmpty() ? "" : p + ": ") + what);
      if (locations == null) locations = JsonLocations.of(text);
      return new JobFileException(locations.prefix(source, p) + (p.isEmpty() ? "" : p + ": ") + what);
    }

    /** The path as written in the file: a grid point's or draw's field names the list or distribution it came from. */
    private String original(String path) {
      for (Map.Entry<String, String> r : rewrite.entrySet()) {
        String k = r.getKey();
        if (path.equals(k) || path.startsWith(k + ".") || path.startsWith(k + "[")) {
          return r.getValue() + path.substring(k.length());
        }
      }
      return path;
    }
  }

  static String join(String path, String more) {
    if (more == null || more.isEmpty()) return path;
    if (path.isEmpty()) return more.startsWith(".") ? more.substring(1) : more;
    return more.startsWith("[") ? path + more : path + "." + (more.startsWith(".") ? more.substring(1) : more);
  }

  static String pathOf(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getIndex() >= 0) sb.append('[').append(r.getIndex()).append(']');
      else if (r.getFieldName() != null) sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
    }
    return sb.toString();
  }

  private static JsonNode at(JsonNode node, List<JsonMappingException.Reference> path) {
    JsonNode n = node;
    for (JsonMappingException.Reference r : path) {
      if (n == null) return null;
      n = r.getIndex() >= 0 ? n.get(r.getIndex()) : n.get(r.getFieldName());
    }
    return n;
  }

  static String describe(Class<?> t) {
    if (t == null) return "a value of another type";
    if (t == double.class || t == Double.class || t == float.class || t == Float.class) return "a number";
    if (t == int.class || t == Integer.class || t == long.class || t == Long.class) return "an integer";
    if (t == boolean.class || t == Boolean.class) return "true or false";
    if (t == String.class) return "a string";
    if (t.isArray()) {
      return t.getComponentType() == double.class ? "an array of numbers"
          : t.getComponentType() == int.class ? "an array of integers" : "an array";
    }
    if (Collection.class.isAssignableFrom(t)) return "an array";
    return "an object";
  }

  /** Registered type names of a polymorphic base type, sorted. */
  public static List<String> typeNames(Class<?> base) {
    JsonSubTypes st = base.getAnnotation(JsonSubTypes.class);
    if (st == null) return List.of();
    return Arrays.stream(st.value()).flatMap(t -> {
      List<String> names = new ArrayList<>();
      if (!t.name().isEmpty()) names.add(t.name());
      names.addAll(Arrays.asList(t.names()));
      return names.stream();
    }).sorted().distinct().toList();
  }

}
