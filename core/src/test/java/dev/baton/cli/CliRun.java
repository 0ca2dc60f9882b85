package dev.baton.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the {@code baton} command line in-process and keeps what it printed. */
public final class CliRun {

    public record Result(int code, String out, String err) {}

    private CliRun() {}

    public static Result baton(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }
}
