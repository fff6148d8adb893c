package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class HostPortTest {
    private final HostPort hostPort = new HostPort();

    @Test
    void takesAnIpAndAPort() {
        InetSocketAddress a = hostPort.convert("127.0.27.1:7421");
        assertThat(a.getAddress().getHostAddress()).isEqualTo("127.0.27.1");
        assertThat(a.getPort()).isEqualTo(7421);
        assertThat(HostPort.format(a)).isEqualTo("127.0.27.1:7421");
        assertThat(HostPort.format(hostPort.convert("[::1]:80"))).isEqualTo("[0:0:0:0:0:0:0:1]:80");
    }

    @Test
    void namesWhatIsWrong() {
        assertThatThrownBy(() -> hostPort.convert("127.0.0.1"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("'127.0.0.1' is not IP:PORT (e.g. 127.0.0.1:7421)");
        assertThatThrownBy(() -> hostPort.convert("127.0.0.1:"))
                .hasMessage("'127.0.0.1:' is not IP:PORT (e.g. 127.0.0.1:7421)");
        assertThatThrownBy(() -> hostPort.convert("127.0.0.1:http"))
                .hasMessage("the port of '127.0.0.1:http' is not a number");
        assertThatThrownBy(() -> hostPort.convert("127.0.0.1:70000"))
                .hasMessage("the port of '127.0.0.1:70000' is not between 1 and 65535");
        assertThatThrownBy(() -> hostPort.convert("example.org:80")).hasMessage("'example.org' is not an IP address");
    }

    @Test
    void theAgentRefusesABadAddressBeforeJoining() {
        var err = new java.io.StringWriter();
        var cmd = new picocli.CommandLine(new Main()).setErr(new java.io.PrintWriter(err));
        int exit =
                cmd.execute("agent", "--server", "http://127.0.0.1:1", "--join-token", "t", "--metrics", "127.0.0.1:0");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString())
                .contains("Invalid value for option '--metrics'")
                .contains("the port of '127.0.0.1:0' is not between 1 and 65535");
    }
}
