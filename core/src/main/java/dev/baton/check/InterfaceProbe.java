package dev.baton.check;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code type: interface}: passes while the link is up with carrier, read from sysfs exactly as
 * {@link LinkWatch} reads the instance's own interface.
 */
final class InterfaceProbe implements Probe {

    private final Path sysClassNet;
    private final String iface;

    InterfaceProbe(Path sysClassNet, String iface) {
        this.sysClassNet = sysClassNet;
        this.iface = iface;
    }

    @Override
    public Result run(Duration timeout) {
        String problem = Links.problem(sysClassNet, iface);
        return problem == null ? Result.pass(iface + " up") : Result.fail(iface + " " + problem);
    }
}
