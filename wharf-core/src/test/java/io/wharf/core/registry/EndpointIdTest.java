package io.wharf.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.InvalidInputException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointIdTest {
    @Test
    @DisplayName("001.1 an endpoint is named ip_port and reads back the same")
    void parsesAndPrints() {
        EndpointId id = EndpointId.parse("192.168.1.10_9000");
        assertThat(id.ip()).isEqualTo("192.168.1.10");
        assertThat(id.port()).isEqualTo(9000);
        assertThat(id).hasToString("192.168.1.10_9000");
    }

    @ParameterizedTest(name = "{0} is refused naming {1}")
    @CsvSource({
        "127.0.1.4, ip_port",
        "127.0.1.4_, ip_port",
        "_8080, ip_port",
        "127.0.1.4_http, port",
        "127.0.1.4_0, port",
        "127.0.1.4_65536, port",
        "127.0.1_8080, ip",
        "127.0.1.256_8080, ip",
        "127.0.01.4_8080, ip",
        "host.example_8080, ip",
    })
    void refusesMalformed(String text, String field) {
        assertThatThrownBy(() -> EndpointId.parse(text))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.violations().get(0).field()).isEqualTo(field));
    }

    @Test
    void ordersByIpThenPort() {
        assertThat(EndpointId.parse("127.0.1.4_80")).isLessThan(EndpointId.parse("127.0.1.4_81"));
        assertThat(EndpointId.parse("127.0.1.3_90")).isLessThan(EndpointId.parse("127.0.1.4_80"));
    }
}
