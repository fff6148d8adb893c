package io.wharf.client.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.client.UnreachableException;
import io.wharf.client.sdk.spi.RegistryException;
import java.io.IOException;
import java.net.ConnectException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AskedInterfacesTest {
    @Test
    @DisplayName("a registry out of reach is told apart from an interface that fails, however deep the cause")
    void unreachable() {
        assertThat(AskedInterfaces.unreachable(new UnreachableException("down", new IOException("x"))))
                .isTrue();
        assertThat(AskedInterfaces.unreachable(
                        new RegistryException("cannot register", new ConnectException("refused"))))
                .isTrue();
        assertThat(AskedInterfaces.unreachable(new RegistryException("package has sha256 00…, expected ab…: refused")))
                .isFalse();
        assertThat(AskedInterfaces.unreachable(
                        new IllegalStateException("no registry interface", new IOException("disk"))))
                .isFalse();
    }
}
