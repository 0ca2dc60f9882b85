package dev.baton.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process started in a lab namespace whose output goes to a log file, read back by pattern:
 * Baton nodes and keepalived alike. Waits are bounded by the caller's timeout.
 */
public class LoggedProcess {

    protected final Process process;
    protected final Path log;

    public LoggedProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public List<String> lines() {
        try {
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The last match of {@code p} in the log, if any. */
    public Optional<Matcher> last(Pattern p) {
        Matcher found = null;
        for (String line : lines()) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                found = m;
            }
        }
        return Optional.ofNullable(found);
    }

    public long count(Pattern p) {
        return lines().stream().filter(l -> p.matcher(l).find()).count();
    }

    /** Waits until the log holds at least {@code n} lines matching {@code p}. */
    public Matcher await(Pattern p, int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Matcher> matches = lines().stream().map(p::matcher).filter(Matcher::find).toList();
            if (matches.size() >= n) {
                return matches.get(n - 1);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + "s waiting for " + n + " x /" + p
                        + "/ in " + log + ":\n" + String.join("\n", lines()));
            }
            if (!process.isAlive() && matches.size() < n) {
                Thread.sleep(200); // let the last lines land
                if (lines().stream().map(p::matcher).filter(Matcher::find).count() >= n) {
                    continue;
                }
                throw new AssertionError("process exited (" + process.exitValue() + ") before /" + p + "/:\n"
                        + String.join("\n", lines()));
            }
            Thread.sleep(20);
        }
    }

    public Matcher await(Pattern p, Duration timeout) throws InterruptedException {
        return await(p, 1, timeout);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public void signal(String signal) throws IOException {
        NetnsLab.run(List.of("kill", "-" + signal, Long.toString(process.pid())), false);
    }

    /** Waits for the exit, at most {@code timeout}; returns the exit code, or -1 if still running. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    public Path log() {
        return log;
    }

    /** The time of day a log line starts with ({@code 2026-11-23T08:20:49.220 ...}). */
    public static LocalTime timeOf(String line) {
        return LocalTime.parse(line.substring(11, 23));
    }
}
