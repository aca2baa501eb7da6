package dev.meterbill.billing.apikey;

import java.util.UUID;

/**
 * A freshly issued key: the plain value exists only here, long enough to return it once.
 *
 * @param displayPrefix first characters of the key, stored so people can tell keys apart
 */
public record IssuedKey(UUID id, String plainKey, String hash, String displayPrefix) {

    /** Never prints the plain key, so logging an issued key cannot leak it. */
    @Override
    public String toString() {
        return "IssuedKey[id=" + id + ", displayPrefix=" + displayPrefix + "]";
    }
}
