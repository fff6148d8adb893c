package io.wharf.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code wharf completion bash|zsh}: the shell completion script, generated from the commands themselves. */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = {
            "Print a shell completion script for wharf's commands and options.",
            "bash:  source <(wharf completion bash)     (or save it in /etc/bash_completion.d/wharf)",
            "zsh:   source <(wharf completion zsh)      (in ~/.zshrc)"
        })
final class CompletionCommand implements Runnable {
    enum Shell {
        bash,
        zsh
    }

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        // one script serves both: under zsh it turns on zsh's bash-completion layer itself
        System.out.print(AutoComplete.bash("wharf", spec.root().commandLine()));
    }
}
