package dev.baton.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code baton}: the agent's command line. */
@Command(name = "baton", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Keeps virtual IPs on one healthy node of a group: unicast VRRP, pluggable providers.",
        subcommands = {RunCommand.class, ValidateCommand.class, StatusCommand.class, ReloadCommand.class, ImportKeepalivedCommand.class,
                PluginsCommand.class, VersionCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Exit code for a config error or a failure to start. */
    static final int EXIT_FAILURE = 1;
    /** Exit code for a command-line usage error (picocli's convention). */
    static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs a command with the given output streams; returns the exit code. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"baton " + version() + " (Java " + Runtime.version() + ")"};
        }
    }
}
