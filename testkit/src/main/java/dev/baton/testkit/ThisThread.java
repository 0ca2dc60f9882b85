package dev.baton.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The calling thread as the kernel sees it: fields of /proc/thread-self/stat (proc(5)). */
public final class ThisThread {

    /** Field 19: the nice value. */
    public static final int NICE = 19;
    /** Field 41: the scheduling policy (0 normal, 2 SCHED_RR, 5 SCHED_IDLE). */
    public static final int POLICY = 41;

    private ThisThread() {}

    /** Field {@code n}, in proc(5)'s numbering (the command name, field 2, may hold spaces). */
    public static int statField(int n) {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(after[n - 3]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
