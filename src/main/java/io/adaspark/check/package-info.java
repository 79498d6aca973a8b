/**
 * Validation shared by every package: {@code Checks} (torch-style range checks with one message
 * form), {@code InvalidValueException} and {@code JobFileException} (what the command line turns
 * into one line and exit 2), and {@code Mix} (the 64-bit mixing hash of row identities).
 *
 * <p>A leaf: imports nothing of adaspark, and every package may import it. Tests: the messages
 * are checked where they are raised ({@code config/JobLoaderTest}, {@code optim/ConfigJsonTest}).
 */
package io.adaspark.check;
