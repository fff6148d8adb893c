package io.wharf.agent.runtime.process;

import io.wharf.agent.runtime.ContainerRuntime;
import io.wharf.agent.runtime.ContainerRuntimeContract;
import java.nio.file.Path;

class ProcessRuntimeIT extends ContainerRuntimeContract {
    @Override
    protected ContainerRuntime newRuntime(Path root) {
        return new ProcessRuntime(root, Path.of(System.getProperty("java.home")));
    }
}
