package dev.meterbill.billing.auth;

import java.util.Optional;

/** Resolves an organisation secret key to its caller; implemented where keys are stored (apikey). */
@FunctionalInterface
public interface SecretKeys {

    /** The organisation whose active secret key {@code secretKey} is, as a caller; empty for any other token. */
    Optional<Caller> organisationCaller(String secretKey);
}
