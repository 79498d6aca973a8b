package io.adaspark.data;

import java.io.Serializable;

/**
 * What the manifest records of the input: where it came from, how big it is, and a content
 * hash (a sum of per-row hashes modulo 2^64, so it does not depend on partitioning).
 */
public record DataFingerprint(String path, String format, long bytes, long files, long rows,
                              String hash) implements Serializable {}
