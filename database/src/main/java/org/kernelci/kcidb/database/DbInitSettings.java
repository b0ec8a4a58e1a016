package org.kernelci.kcidb.database;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link DbInit} needs.
 *
 * @param editor         the service connection ({@code PG_URI}): server, database, and the read-write role that will
 *                       own the KCIDB tables, with its password
 * @param admin          a role that may create databases and roles (the {@code postgres} superuser of the
 *                       compose file), on the same server (its database is replaced by the editor's); null when roles and database are managed
 *                       elsewhere, in which case db-init only migrates and grants what the editor may grant
 * @param viewerRole     the read-only role, {@value #DEFAULT_VIEWER_ROLE} by default
 * @param viewerPassword its password when db-init creates it; null for a role without password
 * @param schema         the PostgreSQL schema of the KCIDB tables, {@value KcidbSchema#DEFAULT_SCHEMA} by default
 */
public record DbInitSettings(PgUri editor, PgUri admin, String viewerRole, String viewerPassword, String schema) {

    /** The service connection, kcidb form. */
    public static final String ENV_PG_URI = "PG_URI";
    /** The administrator's password (the postgres image's variable); enables creating database and roles. */
    public static final String ENV_ADMIN_PASSWORD = "POSTGRES_PASSWORD";
    /** The administrator's name (the postgres image's variable), {@value #DEFAULT_ADMIN_USER} by default. */
    public static final String ENV_ADMIN_USER = "POSTGRES_USER";
    /** The viewer's password; defaults to the editor's, as the original deployment used one password for both. */
    public static final String ENV_VIEWER_PASSWORD = "KCIDB_VIEWER_PASSWORD";

    public static final String DEFAULT_ADMIN_USER = "postgres";
    public static final String DEFAULT_VIEWER_ROLE = "kcidb_viewer";

    public DbInitSettings {
        Objects.requireNonNull(editor, "editor");
        Objects.requireNonNull(viewerRole, "viewerRole");
        Objects.requireNonNull(schema, "schema");
        if (editor.user() == null) {
            throw new IllegalArgumentException("the editor connection must name its role (user=...)");
        }
        if (viewerRole.isEmpty() || viewerRole.equals(editor.user())) {
            throw new IllegalArgumentException("the viewer role must be a different, non-empty role name");
        }
        if (admin != null && !admin.database().equals(editor.database())) {
            // The administrator works on the editor's database; only its server, name and password matter.
            admin = admin.withDatabase(editor.database());
        }
    }

    /**
     * From the deployment's environment: {@code PG_URI} (required), {@code POSTGRES_PASSWORD} and
     * {@code POSTGRES_USER} (optional, the administrator), {@code KCIDB_VIEWER_PASSWORD} (optional).
     *
     * @throws InvalidPgUriException or IllegalArgumentException with a message naming the variable
     */
    public static DbInitSettings fromEnvironment(Map<String, String> env) {
        String uri = env.get(ENV_PG_URI);
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException(ENV_PG_URI + " is not set; expected e.g. "
                    + "\"postgresql:dbname=kcidb user=kcidb_editor password=... host=db port=5432\"");
        }
        PgUri editor;
        try {
            editor = PgUri.parse(uri);
        } catch (InvalidPgUriException e) {
            throw new InvalidPgUriException(ENV_PG_URI + ": " + e.getMessage());
        }
        if (editor.user() == null) {
            throw new IllegalArgumentException(ENV_PG_URI + " must name the editor role (user=...)");
        }
        PgUri admin = null;
        String adminPassword = env.get(ENV_ADMIN_PASSWORD);
        if (adminPassword != null && !adminPassword.isEmpty()) {
            String adminUser = env.getOrDefault(ENV_ADMIN_USER, "");
            admin = editor.withCredentials(adminUser.isBlank() ? DEFAULT_ADMIN_USER : adminUser.strip(),
                    adminPassword);
        }
        String viewerPassword = env.get(ENV_VIEWER_PASSWORD);
        if (viewerPassword == null || viewerPassword.isEmpty()) {
            viewerPassword = editor.password();
        }
        return new DbInitSettings(editor, admin, DEFAULT_VIEWER_ROLE, viewerPassword, KcidbSchema.DEFAULT_SCHEMA);
    }

    /** The same settings with another viewer role (tests use unique role names: roles are cluster-wide). */
    public DbInitSettings withViewer(String role, String password) {
        return new DbInitSettings(editor, admin, role, password, schema);
    }

    public Optional<PgUri> adminUri() {
        return Optional.ofNullable(admin);
    }

    public String editorRole() {
        return editor.user();
    }

    @Override
    public String toString() {
        return "DbInitSettings[editor=" + editor + ", admin=" + admin + ", viewerRole=" + viewerRole
                + ", viewerPassword=" + (viewerPassword == null ? "(none)" : "***") + ", schema=" + schema + "]";
    }
}
