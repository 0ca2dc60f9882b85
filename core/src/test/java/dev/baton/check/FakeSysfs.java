package dev.baton.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A stand-in for /sys/class/net: one folder per interface with operstate and carrier files. */
final class FakeSysfs {

    private FakeSysfs() {}

    /** Sets an interface's state; a null carrier removes the file, as the kernel does for a down link. */
    static void link(Path sys, String iface, String operstate, String carrier) throws IOException {
        Path dir = Files.createDirectories(sys.resolve(iface));
        Files.writeString(dir.resolve("operstate"), operstate + "\n");
        if (carrier == null) {
            Files.deleteIfExists(dir.resolve("carrier"));
        } else {
            Files.writeString(dir.resolve("carrier"), carrier + "\n");
        }
    }
}
