package dev.baton.check;

import dev.baton.exec.Command;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** {@code type: script}: exit 0 within the timeout passes; a hung script is killed with its children. */
final class ScriptProbe implements Probe {

    private final List<String> argv;
    private final Map<String, String> env;

    ScriptProbe(List<String> argv, String instance, String check) {
        this.argv = List.copyOf(argv);
        this.env = Map.of("BATON_INSTANCE", instance, "BATON_CHECK", check);
    }

    @Override
    public Result run(Duration timeout) throws InterruptedException {
        Command.Outcome o = Command.run(argv, env, timeout);
        return new Result(o.ok(), o.describe(timeout));
    }
}
