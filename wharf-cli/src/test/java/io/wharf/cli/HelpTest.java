package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HelpTest {
    @Test
    void everyCommandAnswersHelp() {
        List<List<String>> paths = new ArrayList<>();
        collect(new CommandLine(new Main()), new ArrayList<>(), paths);
        assertThat(paths).hasSizeGreaterThan(10);
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            assertThat(Main.run(args.toArray(String[]::new)))
                    .as("wharf " + String.join(" ", args))
                    .isZero();
        }
    }

    private static void collect(CommandLine cmd, List<String> path, List<List<String>> out) {
        for (Map.Entry<String, CommandLine> sub : cmd.getSubcommands().entrySet()) {
            if (!sub.getValue().getCommandName().equals(sub.getKey())) continue; // an alias
            List<String> next = new ArrayList<>(path);
            next.add(sub.getKey());
            out.add(next);
            collect(sub.getValue(), next, out);
        }
    }
}
