package io.wharf.server.scaleout;

import io.wharf.client.wire.OperationStatus;
import io.wharf.client.wire.ScaleOutServiceStatus;
import io.wharf.core.InvalidInputException;
import io.wharf.core.Violation;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.spec.ServiceSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Turns the groups a user selects into a new scale-out task (claim 000.1), naming every wrong group at once. */
public final class ScaleOutPlan {
    /** The label that names a service's group (claim 000.1). */
    public static final String GROUP_LABEL = "group";

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private ScaleOutPlan() {}

    /**
     * A task {@code id} for every service that carries the label {@code group=G} for one of {@code groups},
     * each once.
     *
     * @throws InvalidInputException naming each group that is malformed or that no service carries
     */
    public static ScaleOutState create(List<String> groups, List<ServiceSpec> specs, String id, Instant now) {
        List<Violation> wrong = new ArrayList<>();
        if (groups.isEmpty()) {
            wrong.add(new Violation("groups", "empty (expected: at least one group label)"));
        }
        Set<ServiceKey> services = new LinkedHashSet<>();
        for (int i = 0; i < groups.size(); i++) {
            String g = groups.get(i);
            if (g == null || !LABEL.matcher(g).matches()) {
                wrong.add(new Violation(
                        "groups[" + i + "]", "'" + g + "' (expected: a label value, letters, digits, . _ -)"));
                continue;
            }
            List<ServiceKey> members = specs.stream()
                    .filter(s -> g.equals(s.labels().get(GROUP_LABEL)))
                    .map(ServiceSpec::key)
                    .toList();
            if (members.isEmpty()) {
                wrong.add(new Violation(
                        "groups[" + i + "]", "'" + g + "': no service carries the label " + GROUP_LABEL + "=" + g));
            }
            services.addAll(members);
        }
        if (!wrong.isEmpty()) throw new InvalidInputException(wrong);
        return new ScaleOutState(
                id,
                groups,
                now,
                services.stream()
                        .map(s -> new ScaleOutState.ServiceRow(
                                s.namespace(), s.service(), ScaleOutServiceStatus.PENDING, 0, "", "", now, now))
                        .toList(),
                List.of());
    }

    /** How a task's end is shown: completed with skips when some, not all, of its services were skipped. */
    public static OperationStatus status(OperationStatus status, ScaleOutState state) {
        boolean skipped = state.services().stream().anyMatch(s -> s.status() == ScaleOutServiceStatus.SKIPPED);
        return status == OperationStatus.COMPLETED && skipped ? OperationStatus.COMPLETED_WITH_SKIPS : status;
    }
}
