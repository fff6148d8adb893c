/**
 * Who may do what: tokens of each kind (join, host, read, namespace) beside the admin token, kept by their
 * sha256, expiring and revocable, and the {@link io.wharf.server.auth.Principal} a request's token makes it.
 * The rules per route are the API's ({@code io.wharf.server.api.Access}); docs/security.md lists them.
 */
@NullMarked
package io.wharf.server.auth;

import org.jspecify.annotations.NullMarked;
