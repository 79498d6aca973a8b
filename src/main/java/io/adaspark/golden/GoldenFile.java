package io.adaspark.golden;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.adaspark.optim.ParamBlocks;
import java.util.ArrayList;
import java.util.List;

/**
 * One golden file (format: {@code golden/README.md}): the problem, the initial point, the optional
 * mini-batches, the tolerances and the cases. The tree is kept so that problems can read their data.
 *
 * @param fileName the file's name, used in every message
 * @param root the whole JSON tree
 * @param problem the {@code problem} field, e.g. {@code quadratic}
 * @param x0 the initial point theta_0
 * @param minibatches {@code minibatches[k]}: sample indices of step k, or null
 * @param rtol relative tolerance (file's {@code tolerance.rtol}, default 1e-10)
 * @param atol absolute tolerance, scaled by max(1, max |ref|) (default 1e-12)
 * @param cases the cases, in file order
 * @param layout the {@code param_layout} blocks (checked: contiguous, sizes the products of the
 *     shapes, {@code n_params} the length of x0), or one 1-D block when the file has none
 */
public record GoldenFile(String fileName, JsonNode root, String problem, double[] x0, int[][] minibatches,
                         double rtol, double atol, List<GoldenCase> cases, ParamBlocks layout) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Reads and checks a file; any problem is a {@link GoldenFormatException} naming it. */
  public static GoldenFile read(Path path) {
    String name = path.getFileName().toString();
    JsonNode root;
    try {
      root = MAPPER.readTree(Files.readString(path));
    } catch (JsonProcessingException e) {
      throw new GoldenFormatException(name + ": not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new GoldenFormatException(name + ": cannot read: " + e, e);
    }
    return parse(name, root);
  }

  /** Checks and wraps an already parsed tree. */
  public static GoldenFile parse(String fileName, JsonNode root) {
    if (root == null || !root.isObject()) throw new GoldenFormatException(fileName + ": not a JSON object");
    String problem = Json.text(root, "problem", fileName);
    double[] x0 = Json.vector(root, "x0", fileName);
    int[][] minibatches = null;
    if (root.hasNonNull("minibatches")) {
      JsonNode mb = root.get("minibatches");
      if (!mb.isArray()) throw new GoldenFormatException(fileName + ": 'minibatches' must be an array");
      minibatches = new int[mb.size()][];
      for (int k = 0; k < minibatches.length; k++) {
        minibatches[k] = Json.indices(mb.get(k), fileName + ".minibatches[" + k + "]");
      }
    }
    JsonNode tol = root.path("tolerance");
    double rtol = tol.path("rtol").isNumber() ? tol.get("rtol").doubleValue() : 1e-10;
    double atol = tol.path("atol").isNumber() ? tol.get("atol").doubleValue() : 1e-12;
    ParamBlocks layout = layout(root, fileName, x0.length);
    JsonNode cs = Json.field(root, "cases", fileName);
    if (!cs.isArray() || cs.isEmpty()) throw new GoldenFormatException(fileName + ": 'cases' must be a non-empty array");
    List<GoldenCase> cases = new ArrayList<>();
    for (int i = 0; i < cs.size(); i++) {
      GoldenCase c = GoldenCase.parse(cs.get(i), fileName, i);
      checkCase(fileName, c, x0.length, minibatches, layout);
      cases.add(c);
    }
    return new GoldenFile(fileName, root, problem, x0, minibatches, rtol, atol, List.copyOf(cases), layout);
  }

  /** {@code param_layout}: {@code n_params} and {@code blocks} of name, shape, offset, size. */
  private static ParamBlocks layout(JsonNode root, String fileName, int n) {
    if (!root.hasNonNull("param_layout")) return ParamBlocks.single(n);
    String where = fileName + ".param_layout";
    JsonNode pl = root.get("param_layout");
    JsonNode blocks = Json.field(pl, "blocks", where);
    if (!blocks.isArray() || blocks.isEmpty()) throw new GoldenFormatException(where + ".blocks: must be a non-empty array");
    List<ParamBlocks.Block> list = new ArrayList<>();
    int next = 0;
    for (int i = 0; i < blocks.size(); i++) {
      String bw = where + ".blocks[" + i + "]";
      JsonNode b = blocks.get(i);
      String name = Json.text(b, "name", bw);
      int[] shape = Json.indices(Json.field(b, "shape", bw), bw + ".shape");
      long size = 1;
      for (int s : shape) {
        if (s < 1) throw new GoldenFormatException(bw + ".shape: dimensions must be >= 1, got " + Json.field(b, "shape", bw));
        size *= s;
      }
      if (b.has("offset") && b.get("offset").asLong(-1) != next) {
        throw new GoldenFormatException(bw + ": offset is " + b.get("offset") + ", the blocks before it end at " + next);
      }
      if (b.has("size") && b.get("size").asLong(-1) != size) {
        throw new GoldenFormatException(bw + ": size is " + b.get("size") + ", the shape has " + size + " elements");
      }
      list.add(new ParamBlocks.Block(name, next, shape));
      next += (int) size;
    }
    if (pl.has("n_params") && pl.get("n_params").asLong(-1) != next) {
      throw new GoldenFormatException(where + ": n_params is " + pl.get("n_params") + ", the blocks hold " + next);
    }
    if (next != n) {
      throw new GoldenFormatException(where + ": the blocks hold " + next + " parameters, x0 has " + n);
    }
    return new ParamBlocks(list);
  }

  private static void checkCase(String fileName, GoldenCase c, int n, int[][] minibatches, ParamBlocks layout) {
    String where = fileName + " case '" + c.id() + "'";
    c.recorded().forEach((name, rows) -> {
      int width = name.equals("params_y") ? n : name.equals("trust_ratio") || name.equals("clip_denom") ? layout.size() : 1;
      for (int k = 0; k < rows.length; k++) {
        if (rows[k].length != width) {
          throw new GoldenFormatException(where + ": " + name + "[" + k + "] must have " + width + " values"
              + (width == layout.size() && !name.equals("params_y") ? " (one per param_layout block)" : "")
              + ", got " + rows[k].length);
        }
      }
    });
    for (int k = 0; k < c.steps(); k++) {
      if (c.grad()[k].length != n || c.params()[k].length != n) {
        throw new GoldenFormatException(where + ": grad[" + k + "]/params[" + k + "] must have " + n
            + " values (the length of x0)");
      }
    }
    if (c.minibatch() && (minibatches == null || minibatches.length < c.steps())) {
      throw new GoldenFormatException(where + ": a mini-batch case of " + c.steps()
          + " steps needs as many top-level 'minibatches'");
    }
  }
}
