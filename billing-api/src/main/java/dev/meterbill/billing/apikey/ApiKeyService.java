package dev.meterbill.billing.apikey;

import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.auth.SecretKeys;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.service.ApiKeyHash;
import java.util.Optional;

/** Resolves organisation secret keys to callers. */
public record ApiKeyService(Transactions transactions, ApiKeyRepository repository) implements SecretKeys {

    /** The organisation caller a secret key stands for; empty when the key is unknown or revoked. */
    @Override
    public Optional<Caller> organisationCaller(String secretKey) {
        if (!secretKey.startsWith(ApiKeyGenerator.SECRET_KEY_PREFIX)) {
            return Optional.empty();
        }
        String hash = ApiKeyHash.of(secretKey);
        return transactions.readOnly(c -> repository.findOrganisationBySecretKeyHash(c, hash))
                .map(Caller::organisation);
    }
}
