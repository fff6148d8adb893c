package io.wharf.server.auth;

import static java.util.Objects.requireNonNull;

/** Who a request is, by the token it shows. */
public sealed interface Principal {
    /** How the principal is named in a refusal, e.g. {@code a join token}. */
    String describe();

    /** The admin token: may do everything. */
    record Admin() implements Principal {
        @Override
        public String describe() {
            return "the admin token";
        }
    }

    /** A host token: acts as its host. */
    record Host(String hostId, String tokenId) implements Principal {
        public Host {
            requireNonNull(hostId, "hostId");
        }

        @Override
        public String describe() {
            return "the host token of " + hostId;
        }
    }

    /** A join token: may join a new host. */
    record Joiner(String tokenId) implements Principal {
        @Override
        public String describe() {
            return "a join token";
        }
    }

    /** A read token, of every namespace ({@code namespace} empty) or one. */
    record Reader(String namespace, String tokenId) implements Principal {
        @Override
        public String describe() {
            return namespace.isEmpty() ? "a read token" : "a read token of namespace " + namespace;
        }
    }

    /** A namespace token: reads and registers within its namespace. */
    record NamespaceWriter(String namespace, String tokenId) implements Principal {
        @Override
        public String describe() {
            return "a token of namespace " + namespace;
        }
    }

    /** No token. */
    record Anonymous() implements Principal {
        @Override
        public String describe() {
            return "a request without a token";
        }
    }
}
