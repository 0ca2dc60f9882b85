package dev.baton.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Jazzer target for the config loader: any bytes, read as a config, give a config or a
 * {@link ConfigException} naming file, line and field, never another exception. Relative paths
 * resolve in an empty temporary directory. Regression mode replays
 * {@code ConfigLoaderFuzzTestInputs/load}; see docs/fuzzing.md.
 */
class ConfigLoaderFuzzTest {

    private static final Path BASE = emptyDir();
    private static final ConfigLoader LOADER =
            new ConfigLoader(Map.of("BATON_HMAC", "a key of more than sixteen octets", "PASS", "s3cr3t")::get);

    private static Path emptyDir() {
        try {
            Path d = Files.createTempDirectory("baton-config-fuzz");
            d.toFile().deleteOnExit();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void load(byte[] input) {
        String yaml = new String(input, StandardCharsets.UTF_8);
        try {
            LOADER.load(new StringReader(yaml), "fuzz.yaml", BASE);
        } catch (ConfigException expected) {
            if (expected.getMessage() == null || !expected.getMessage().startsWith("fuzz.yaml:")) {
                throw new IllegalStateException("a config error that does not name the file: " + expected.getMessage());
            }
        }
    }
}
