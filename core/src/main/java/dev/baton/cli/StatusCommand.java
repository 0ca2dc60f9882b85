package dev.baton.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "status", description = "Show a running agent's instances and providers, from its /status endpoint. "
        + "Exit 0 when the agent answered, 1 when not.")
final class StatusCommand implements Callable<Integer> {

    @CommandLine.Mixin
    AgentEndpoint agent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        JsonNode status = agent.status(spec.commandLine().getErr());
        if (status == null) {
            return Main.EXIT_FAILURE;
        }
        out.print(StatusTable.render(status));
        out.flush();
        return 0;
    }
}
