package io.wharf.cli;

import io.wharf.client.OperationsApi;
import io.wharf.client.wire.OperationStatus;
import io.wharf.client.wire.ScaleOutSummary;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wharf scale-out --group G}: double every service of the groups, as one durable task. */
@Command(
        name = "scale-out",
        mixinStandardHelpOptions = true,
        description = {
            "Scale out the services of one or more groups (services labelled group=G) in one task: each gets as many"
                    + " new containers as it has, running the version most of its containers run.",
            "The task is durable: it carries on after a restart of the server. Follow it with 'wharf describe task ID'."
        })
final class ScaleOutCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(
            names = {"-g", "--group"},
            required = true,
            paramLabel = "LABEL",
            description = "A group: the services whose label group equals LABEL. Repeat for more groups.")
    List<String> groups;

    @Option(names = "--wait", description = "Print progress until the task ends; exit 1 unless it completed.")
    boolean await;

    @Override
    public Integer call() throws Exception {
        OperationsApi api = client.client().operations();
        ScaleOutSummary task = api.scaleOut(groups).task();
        String id = task.id();
        System.out.println("scale-out task " + id + " created for "
                + task.services().total() + " services of groups " + String.join(",", groups));
        if (!await) {
            System.out.println("follow it with: wharf describe task " + id);
            return 0;
        }
        String last = "";
        while (true) {
            task = api.getScaleOut(id).task();
            String line = TaskViews.progress(task);
            String withoutTime = line.replaceAll(" \\([0-9.]+s\\)$", "");
            if (!withoutTime.equals(last)) {
                System.out.println(line);
                last = withoutTime;
            }
            if (task.status() != OperationStatus.RUNNING) {
                System.out.println(task.reason());
                return task.status() == OperationStatus.COMPLETED ? 0 : 1;
            }
            Thread.sleep(500);
        }
    }
}
