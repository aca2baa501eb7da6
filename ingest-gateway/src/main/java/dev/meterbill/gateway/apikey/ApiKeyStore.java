package dev.meterbill.gateway.apikey;

import java.util.Optional;

/** Resolves a project API key to its project; empty for unknown or revoked keys. */
public interface ApiKeyStore {

    /** @throws KeyStoreUnavailableException when the store cannot answer now */
    Optional<ProjectIdentity> lookup(String plainKey);

    /** True when the backing store answers a trivial query. */
    boolean isReachable();

    /** The store could not be asked; the request must be answered 503, not 401. */
    final class KeyStoreUnavailableException extends RuntimeException {
        public KeyStoreUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
