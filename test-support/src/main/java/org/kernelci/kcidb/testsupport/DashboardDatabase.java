package org.kernelci.kcidb.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A database as the KernelCI dashboard's own migrations leave it (kernelCI_app 0001-0018, Django's bookkeeping
 * included), written from {@code spec/dashboard.md}: what kcidb-ng must take over in place and must look like itself.
 *
 * <pre>{@code
 * TestDatabase db = TestPostgres.shared().newDatabase("adopt");
 * DashboardDatabase.create(db);      // the dashboard's tables, empty
 * }</pre>
 */
public final class DashboardDatabase {
    /** The DDL, in this package's resources. */
    public static final String DDL = "dashboard-0018.sql";

    private DashboardDatabase() {
    }

    /** Creates the dashboard's tables in schema {@code public} of the database. */
    public static void create(TestDatabase database) {
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute(ddl());
        } catch (SQLException e) {
            throw new IllegalStateException("creating the dashboard's tables failed", e);
        }
    }

    /** The DDL text. */
    public static String ddl() {
        try (InputStream in = DashboardDatabase.class.getResourceAsStream(DDL)) {
            if (in == null) {
                throw new IllegalStateException(DDL + " is missing from test-support's resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
