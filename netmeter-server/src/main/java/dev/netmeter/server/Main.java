package dev.netmeter.server;

import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code netmeter}: one executable, several roles. */
@Command(name = "netmeter", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Network traffic metering, compatible with OpenStack Neutron's metering API v2.0.",
        subcommands = {ServerCommand.class, AgentCommand.class, ConfigCommand.class, TokenCommand.class,
                PolicyCommand.class},
        // The load figures live in the netmeter-bench module, outside this jar; the launcher runs them.
        footer = "%nLoad figures: ./netmeter bench --help (the netmeter-bench module).")
public final class Main implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int exit = new CommandLine(new Main()).execute(args);
        // The server and the agent return from a shutdown hook, where System.exit would block forever.
        if (exit != 0 || args.length == 0 || !Set.of("server", "agent").contains(args[0])) {
            System.exit(exit);
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The version, from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"netmeter " + (version == null ? "(development build)" : version)};
        }
    }
}
