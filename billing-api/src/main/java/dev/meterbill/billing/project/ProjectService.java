package dev.meterbill.billing.project;

import dev.meterbill.billing.apikey.ApiKeyIssuer;
import dev.meterbill.billing.apikey.IssuedKey;
import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.ConflictException;
import dev.meterbill.billing.error.FieldErrors;
import dev.meterbill.billing.error.NotFoundException;
import dev.meterbill.billing.organisation.OrganisationRepository;
import dev.meterbill.events.TextRules;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/** Creates, lists and looks up projects within the caller's tenancy. */
public record ProjectService(Transactions transactions, ProjectRepository projects,
                             OrganisationRepository organisations, ApiKeyIssuer keys, AuditLog auditLog) {

    static final String ENTITY_TYPE = "project";
    static final int MAX_NAME_LENGTH = 200;

    /** A project with the only copy of its first API key. */
    public record Created(Project project, IssuedKey apiKey) {}

    /** Validates a project name: trimmed, 1 to 200 characters. */
    public static String validName(String name) {
        String trimmed = name == null ? "" : name.strip();
        FieldErrors errors = new FieldErrors();
        if (trimmed.isEmpty()) {
            errors.add("name", "is required");
        } else if (TextRules.violation(trimmed, MAX_NAME_LENGTH) != null) {
            errors.add("name", TextRules.violation(trimmed, MAX_NAME_LENGTH));
        }
        errors.throwIfAny();
        return trimmed;
    }

    /** Refuses a caller who may not add projects to the organisation (404, like an unknown one); before the body. */
    public void authoriseCreate(Caller caller, UUID organisationId) {
        requireVisibleOrganisation(caller, organisationId);
    }

    /** Creates the project, its API key and their audit rows in one transaction. */
    public Created create(Caller caller, String requestId, UUID organisationId, String name) {
        requireVisibleOrganisation(caller, organisationId);
        UUID id = UUID.randomUUID();
        try {
            return transactions.inTransaction(c -> {
                requireOrganisation(c, organisationId);
                Project project = projects.insert(c, id, organisationId, name);
                auditLog.record(c,
                        AuditEntry.created(caller.actor(), requestId, organisationId, ENTITY_TYPE, id, project));
                IssuedKey apiKey = keys.issueProjectKey(c, caller, requestId, organisationId, id);
                return new Created(project, apiKey);
            });
        } catch (ConflictException e) {
            if (ProjectRepository.UNIQUE_NAME_CONSTRAINT.equals(e.constraint())) {
                throw new ConflictException("The organisation already has a project named '" + name + "'",
                        e.constraint(), e);
            }
            throw e;
        }
    }

    /** The organisation's projects; a foreign or unknown organisation is not found. */
    public List<Project> list(Caller caller, UUID organisationId) {
        requireVisibleOrganisation(caller, organisationId);
        return transactions.readOnly(c -> {
            requireOrganisation(c, organisationId);
            return projects.listByOrganisation(c, organisationId);
        });
    }

    /**
     * The project if it exists and belongs to the caller's tenancy, on the caller's connection so
     * that other features can check ownership inside their own transaction.
     */
    public Project findVisible(Connection connection, Caller caller, UUID projectId) throws SQLException {
        return projects.find(connection, projectId)
                .filter(project -> caller.mayAccess(project.organisationId()))
                .orElseThrow(() -> NotFoundException.of("Project", projectId));
    }

    private static void requireVisibleOrganisation(Caller caller, UUID organisationId) {
        if (!caller.mayAccess(organisationId)) {
            throw NotFoundException.of("Organisation", organisationId);
        }
    }

    private void requireOrganisation(Connection connection, UUID organisationId) throws SQLException {
        if (!organisations.exists(connection, organisationId)) {
            throw NotFoundException.of("Organisation", organisationId);
        }
    }
}
