package dev.netmeter.server;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code netmeter config}: prints every setting with its default and meaning. */
@Command(name = "config", description = "Print a configuration file with every setting at its default.")
final class ConfigCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.print(Setting.exampleFile());
        return 0;
    }
}
