package io.wharf.client;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The typed client of a Wharf server's REST API, used by agents, load balancers, the CLI and services alike.
 * Calls block on the caller's thread; a refusal raises {@link ApiException} with the server's problem, a
 * server that cannot be reached {@link UnreachableException}. Safe for concurrent use.
 *
 * <pre>{@code
 * WharfClient wharf = WharfClient.builder("http://127.0.0.1:7420").token(token).build();
 * wharf.registry().endpoints("default", "demo").endpoints().forEach(System.out::println);
 * }</pre>
 */
public final class WharfClient {
    private final Transport transport;
    private final RegistryApi registry;
    private final HostsApi hosts;
    private final ClusterApi cluster;
    private final OperationsApi operations;

    private WharfClient(Builder b) {
        this.transport = new Transport(b.server, b.token, b.connectTimeout, b.timeout, b.shortLived);
        this.registry = new RegistryApi(transport);
        this.hosts = new HostsApi(transport);
        this.cluster = new ClusterApi(transport);
        this.operations = new OperationsApi(transport);
    }

    /** A builder for a client of the server at {@code server}, e.g. {@code http://127.0.0.1:7420}. */
    public static Builder builder(String server) {
        return new Builder(server);
    }

    /** The server's base URL. */
    public String server() {
        return transport.base();
    }

    /** Namespaces, services, endpoints, leases and watches. */
    public RegistryApi registry() {
        return registry;
    }

    /** Hosts, and what agents report and are assigned. */
    public HostsApi hosts() {
        return hosts;
    }

    /** Images, specs, containers, load-balancer reports and tokens. */
    public ClusterApi cluster() {
        return cluster;
    }

    /** Releases and scale-out tasks. */
    public OperationsApi operations() {
        return operations;
    }

    /** A GET's answer exactly as the server sent it, for printing. */
    public byte[] getRaw(String path) {
        return transport.raw("GET", path, null, Duration.ofSeconds(30));
    }

    /** How to reach the server. */
    public static final class Builder {
        private final String server;
        private Supplier<String> token = () -> "";
        private Duration connectTimeout = Duration.ofSeconds(3);
        private Duration timeout = Duration.ofSeconds(30);
        private boolean shortLived;

        private Builder(String server) {
            this.server = requireNonNull(server, "server");
        }

        /** The token sent as {@code Authorization: Bearer TOKEN}. */
        public Builder token(String token) {
            requireNonNull(token, "token");
            this.token = () -> token;
            return this;
        }

        /** The token, if there is one. */
        public Builder token(Optional<String> token) {
            String t = token.orElse("");
            this.token = () -> t;
            return this;
        }

        /**
         * Where the token comes from, asked before every request: for a credential that changes while the client
         * is in use, as an agent's host token does when the host joins again. An empty string sends none.
         */
        public Builder token(Supplier<String> source) {
            this.token = requireNonNull(source, "source");
            return this;
        }

        /**
         * For a process that makes a few calls and exits, such as a command line: plain calls then go over the
         * JDK's {@code HttpURLConnection}, which is ready in a fraction of the time {@code java.net.http}'s
         * client takes to set up (it prepares TLS even for plain HTTP). Event streams, acknowledgements and
         * downloads still use {@code java.net.http}.
         */
        public Builder shortLived() {
            this.shortLived = true;
            return this;
        }

        /** How long connecting may take (default 3 s). */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        /** How long a call may take, unless it says otherwise (default 30 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = requireNonNull(timeout, "timeout");
            return this;
        }

        public WharfClient build() {
            return new WharfClient(this);
        }
    }
}
