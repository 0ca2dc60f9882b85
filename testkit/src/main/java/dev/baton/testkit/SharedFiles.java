package dev.baton.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the project's shared folder (golden vectors, API contracts): env BATON_SHARED, else the
 * system property {@code baton.shared.dir} (set by the build to ../shared beside the checkout).
 * Tests that need it skip with a message when it is absent.
 */
public final class SharedFiles {

    private SharedFiles() {}

    public static Path dir() {
        for (String p : new String[] {System.getenv("BATON_SHARED"), System.getProperty("baton.shared.dir")}) {
            if (p != null && !p.isBlank() && Files.isDirectory(Path.of(p))) {
                return Path.of(p);
            }
        }
        return null;
    }

    /** The sub-folder {@code name}, or skips the test with a message when it is absent. */
    public static Path require(String name) {
        Path d = dir();
        Path sub = d == null ? null : d.resolve(name);
        Assumptions.assumeTrue(sub != null && Files.isDirectory(sub),
                "shared folder '" + name + "' not found (looked in " + sub + "); set BATON_SHARED to run this test");
        return sub;
    }
}
