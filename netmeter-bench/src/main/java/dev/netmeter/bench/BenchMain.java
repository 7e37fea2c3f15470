package dev.netmeter.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * What {@code ./netmeter bench …} runs, on a class path of the server's jar and this module's, so that the
 * product jar carries no bench code. The root is named {@code netmeter}, with {@code bench} its one
 * subcommand, so that usage, help and errors read {@code netmeter bench …} as they did when the server's
 * {@code Main} had it as a subcommand.
 */
@Command(name = "netmeter", subcommands = BenchCommand.class)
public final class BenchMain implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
