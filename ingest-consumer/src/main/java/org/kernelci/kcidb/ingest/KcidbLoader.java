package org.kernelci.kcidb.ingest;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.ibatis.exceptions.PersistenceException;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;

/**
 * Writes rows into the KCIDB tables in one transaction, in table order and key order (so concurrent loaders lock rows
 * in the same order and cannot deadlock each other), then NOTIFYs {@link #CHANNEL} so that watchers wake up.
 */
final class KcidbLoader {
    /** The channel NOTIFYed after every commit that wrote rows; the payload is unused. */
    static final String CHANNEL = "kcidb_ingest";
    private static final int FLUSH_EVERY = 1000;

    private final SqlSessionFactory sessions;

    KcidbLoader(DataSource dataSource) {
        Configuration configuration = new Configuration(new Environment("kcidb", new JdbcTransactionFactory(), dataSource));
        configuration.addMapper(KcidbMapper.class);
        configuration.setDefaultStatementTimeout(300);
        this.sessions = new SqlSessionFactoryBuilder().build(configuration);
    }

    void load(List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        try (SqlSession session = sessions.openSession(ExecutorType.BATCH, false)) {
            KcidbMapper mapper = session.getMapper(KcidbMapper.class);
            int pending = 0;
            for (Row row : rows) {
                upsert(mapper, row.table(), row.values());
                if (++pending == FLUSH_EVERY) {
                    session.flushStatements();
                    pending = 0;
                }
            }
            session.flushStatements();
            session.getConnection().createStatement().execute("NOTIFY " + CHANNEL);
            session.commit();
        } catch (PersistenceException | SQLException e) {
            throw classify(e);
        }
    }

    private static void upsert(KcidbMapper mapper, KcidbTable table, Map<String, Object> values) {
        switch (table) {
            case CHECKOUTS -> mapper.upsertCheckout(values);
            case BUILDS -> mapper.upsertBuild(values);
            case TESTS -> mapper.upsertTest(values);
            case ISSUES -> mapper.upsertIssue(values);
            case INCIDENTS -> mapper.upsertIncident(values);
        }
    }

    /**
     * Sorts a failure into permanent (the data is at fault: a data exception, an integrity constraint, a value
     * beyond a limit) or transient (anything else: the database is down, read-only, overloaded, or misses a table or
     * a grant; retrying, perhaps after an operator's fix, can help), by SQLSTATE class. Only a permanent failure may
     * fail a submission; failing every submission because a GRANT is missing would lose them all.
     */
    static LoadException classify(Exception e) {
        SQLException sql = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                sql = s;
                // The batch exception wraps the statement's own error; prefer the innermost SQL error.
                if (s.getNextException() != null) {
                    sql = s.getNextException();
                }
            }
        }
        if (sql == null) {
            return new LoadException("load failed: " + e.getMessage(), null, true, e);
        }
        String state = sql.getSQLState();
        boolean dataAtFault = state != null
                && (state.startsWith("22") // data exception (\u0000 in jsonb, integer out of range, bad date-time)
                || state.startsWith("23") // integrity constraint violation
                || state.startsWith("54")); // program limit exceeded (a value too large for its index)
        boolean transientFault = sql instanceof SQLTransientException || sql instanceof SQLRecoverableException
                || !dataAtFault;
        return new LoadException(firstLine(sql.getMessage()), state, transientFault, e);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "database error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
