package dev.baton.cli;

import dev.baton.importer.ImportException;
import dev.baton.importer.KeepalivedImport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import-keepalived",
        description = {"Print a Baton config made from a keepalived.conf; what has no Baton equivalent becomes a comment.",
                "Warnings (placeholders to replace, password files to create) go to stderr."})
final class ImportKeepalivedCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "The keepalived.conf (its includes are followed).")
    Path file;

    @Option(names = "--peer", paramLabel = "ADDR",
            description = "Another node's address, for instances without unicast_peer (multicast); repeat per node.")
    List<String> peers = new ArrayList<>();

    @Option(names = "--source", paramLabel = "ADDR",
            description = "This node's address, for instances without unicast_src_ip.")
    String source;

    @Option(names = "--write-secrets", paramLabel = "DIR",
            description = "Write each instance's auth_pass to DIR/<instance>.pass (mode 0600) and refer to it.")
    Path secretsDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try {
            KeepalivedImport.Result r = new KeepalivedImport().source(source).peers(peers)
                    .writeSecrets(secretsDir).convert(file);
            spec.commandLine().getOut().print(r.yaml());
            spec.commandLine().getOut().flush();
            r.warnings().forEach(w -> spec.commandLine().getErr().println("warning: " + w));
            return 0;
        } catch (ImportException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return Main.EXIT_FAILURE;
        }
    }
}
