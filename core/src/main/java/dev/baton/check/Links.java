package dev.baton.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Link state from sysfs, shared by {@link LinkWatch} and the {@code interface} check. */
final class Links {

    static final Path SYS_CLASS_NET = Path.of("/sys/class/net");

    private Links() {}

    /** Why {@code iface} is not usable ("not found", "down", "no carrier"), or null when it is. */
    static String problem(Path sysClassNet, String iface) {
        Path dir = sysClassNet.resolve(iface);
        if (!Files.isDirectory(dir)) {
            return "not found";
        }
        try {
            if (Files.readString(dir.resolve("operstate")).strip().equals("down")) {
                return "down";
            }
            // carrier is unreadable (EINVAL) while the interface is administratively down.
            return Files.readString(dir.resolve("carrier")).strip().equals("1") ? null : "no carrier";
        } catch (NoSuchFileException e) {
            return "not found";
        } catch (IOException e) {
            return "down";
        }
    }
}
