package dev.meterbill.billing.organisation;

import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.NotFoundException;
import dev.meterbill.billing.http.PathIds;
import io.javalin.http.Context;
import java.util.UUID;

/** The organisation a route's {@code {orgId}} names, when the caller may see it; otherwise 404. */
public final class OrganisationPaths {

    private OrganisationPaths() {}

    public static Organisation visible(Context ctx, Caller caller, Transactions transactions,
                                OrganisationRepository organisations) {
        UUID id = PathIds.uuid(ctx, "orgId", "Organisation");
        if (!caller.mayAccess(id)) {
            throw NotFoundException.of("Organisation", id);
        }
        return transactions.readOnly(c -> organisations.find(c, id)).orElseThrow(() -> NotFoundException.of("Organisation", id));
    }
}
