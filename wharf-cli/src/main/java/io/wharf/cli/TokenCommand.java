package io.wharf.cli;

import io.wharf.client.wire.CreateToken;
import io.wharf.client.wire.TokenInfo;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code wharf token}: create, list and revoke tokens (docs/security.md says what each kind may do). */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Create, list and revoke tokens. See docs/security.md for what each kind may do.",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand {
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Create a token; it is printed once, and only its id is kept.",
                "  --join            joins one new host (its agent is then given a token of its own); 1 h unless --ttl",
                "  --read, --read-only      reads every namespace (the console shows it no actions)",
                "  --read --namespace NS    reads namespace NS",
                "  --namespace NS           reads namespace NS and registers endpoints in it (SDKs, scripts)"
            })
    static final class Create implements Runnable {
        @Mixin
        ClientOptions client;

        @Option(names = "--join", description = "A join token, for a new host's agent.")
        boolean join;

        @Option(
                names = {"--read", "--read-only"},
                description = "A read-only token: of every namespace, or of --namespace NS.")
        boolean read;

        @Option(
                names = "--namespace",
                paramLabel = "NS",
                description = "Alone: a namespace token, reading NS and registering in it. With --read: read NS only.")
        String ns;

        @Option(
                names = "--ttl",
                paramLabel = "DURATION",
                description =
                        "How long it works, e.g. 30m, 24h (default: 1h for join tokens, until revoked for others).")
        String ttl;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            boolean namespaceToken = !join && !read && ns != null;
            if (!(join ^ read) && !namespaceToken) {
                throw new ParameterException(
                        spec.commandLine(), "give one of --join, --read [--namespace NS] or --namespace NS");
            }
            if (join && ns != null) {
                throw new ParameterException(spec.commandLine(), "a join token is for no namespace: drop --namespace");
            }
            String k = join ? "join" : read ? "read" : "namespace";
            TokenInfo t = client.client().cluster().createToken(new CreateToken(k, ns, ttl));
            System.out.println(t.token());
            System.err.println("token " + t.id() + " (" + describe(t) + ")"
                    + t.expiresAt().map(at -> ", expires " + at).orElse(", until revoked")
                    + "; it is shown only now: revoke it with 'wharf token revoke " + t.id() + "'");
        }
    }

    @Command(
            name = "list",
            aliases = "ls",
            mixinStandardHelpOptions = true,
            description = "List tokens (never the tokens themselves): id, kind, scope, expiry.")
    static final class ListTokens implements Runnable {
        @Mixin
        ClientOptions client;

        @Mixin
        Output output;

        @Override
        public void run() {
            byte[] raw = client.client().getRaw("/v1/tokens");
            if (output.json()) {
                Output.raw(System.out, raw);
                return;
            }
            Instant now = Instant.now();
            Output.table(
                    System.out,
                    Docs.list(raw, "tokens", TokenInfo.class),
                    List.of("ID", "KIND", "SCOPE", "CREATED", "EXPIRES", "STATE"),
                    t -> List.of(
                            t.id(),
                            t.kind().name().toLowerCase(java.util.Locale.ROOT),
                            scope(t),
                            t.createdAt().toString(),
                            t.expiresAt().map(Instant::toString).orElse("never"),
                            t.revokedAt().isPresent()
                                    ? "revoked"
                                    : t.expiresAt().filter(now::isAfter).isPresent() ? "expired" : "valid"));
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token now, by its id.")
    static final class Revoke implements Runnable {
        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "ID", description = "The token's id, from 'wharf token list'.")
        String id;

        @Override
        public void run() {
            client.client().cluster().revokeToken(id);
            System.out.println("token " + id + " revoked");
        }
    }

    static String scope(TokenInfo t) {
        if (!t.host().isEmpty()) return "host " + t.host();
        return t.namespace().isEmpty() ? "-" : "namespace " + t.namespace();
    }

    static String describe(TokenInfo t) {
        String kind = t.kind().name().toLowerCase(java.util.Locale.ROOT);
        String scope = scope(t);
        return scope.equals("-") ? kind : kind + ", " + scope;
    }
}
