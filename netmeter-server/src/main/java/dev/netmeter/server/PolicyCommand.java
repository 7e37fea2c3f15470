package dev.netmeter.server;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code netmeter policy}: prints a policy file with every default rule, as oslopolicy-sample-generator does. */
@Command(name = "policy", description = "Print a policy file with every rule at its default (auth.policy_file).")
final class PolicyCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.print(PolicyFile.sample());
        return 0;
    }
}
