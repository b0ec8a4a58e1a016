package org.kernelci.kcidb.database;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

import org.postgresql.Driver;

/**
 * The parsing behind {@link PgUri#parse}. Only kcidb's keyword form has a parser of ours: libpq's keyword/value
 * grammar, reproduced closely enough that a string psql accepts is accepted here and means the same, with messages in
 * libpq's wording where it has one (never quoting a password). URIs and JDBC URLs are read by the PostgreSQL JDBC
 * driver; libpq's parameter names are translated to the driver's in one place ({@link #fromLibpq}).
 */
final class PgUriParser {

    private static final String KCIDB_PREFIX = "postgresql:";
    private static final Pattern KCIDB_DRIVER = Pattern.compile("^[a-z][a-z0-9_]*:(?!//).*", Pattern.DOTALL);

    /** libpq keywords that change security or where credentials come from, and that pgjdbc cannot honour. */
    private static final Set<String> UNSUPPORTED = Set.of("service", "servicefile", "passfile", "sslcrl", "sslcrldir",
            "requirepeer", "require_auth", "sslcertmode", "replication", "ssl_min_protocol_version",
            "ssl_max_protocol_version");

    /** libpq keywords that only tune the transport; pgjdbc has no equivalent and the connection works without. */
    private static final Set<String> IGNORED = Set.of("keepalives_idle", "keepalives_interval", "keepalives_count",
            "tcp_user_timeout", "sslcompression", "sslsni", "sslkeylogfile", "min_protocol_version",
            "max_protocol_version");

    private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca",
            "verify-full");

    private static final Map<String, String> TARGET_SERVER_TYPES = Map.of("any", "any", "read-write", "primary",
            "primary", "primary", "read-only", "secondary", "standby", "secondary", "prefer-standby",
            "preferSecondary");

    private PgUriParser() {
    }

    static PgUri parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidPgUriException("empty PostgreSQL connection string");
        }
        String s = text.strip();
        int lead = text.length() - text.stripLeading().length();
        if (s.regionMatches(true, 0, "jdbc:", 0, 5)) {
            return fromJdbc(s);
        }
        if (isUri(s)) {
            return fromUri(s);
        }
        if (s.startsWith(KCIDB_PREFIX)) {
            String params = s.substring(KCIDB_PREFIX.length());
            // kcidb: a leading '!' makes its loader prefer stored values at first; "!!" stands for a literal '!'.
            // Neither matters to the connection.
            if (params.startsWith("!")) {
                params = params.substring(1);
            }
            int offset = lead + s.length() - params.length();
            return isUri(params.strip()) ? fromUri(params.strip()) : fromLibpq(parseKeywords(params, offset));
        }
        if (KCIDB_DRIVER.matcher(s).matches()) {
            String driver = s.substring(0, s.indexOf(':'));
            throw new InvalidPgUriException("kcidb database driver \"" + driver
                    + "\" is not supported: kcidb-ng stores into PostgreSQL, use \"postgresql:<libpq parameters>\"");
        }
        if (s.indexOf('=') > 0) {
            return fromLibpq(parseKeywords(s, lead));
        }
        throw new InvalidPgUriException("not a PostgreSQL connection string: expected "
                + "\"postgresql:dbname=... user=... host=...\", \"postgresql://user@host:port/dbname\" "
                + "or \"jdbc:postgresql://host:port/dbname\"");
    }

    private static boolean isUri(String s) {
        return s.regionMatches(true, 0, "postgresql://", 0, 13) || s.regionMatches(true, 0, "postgres://", 0, 11);
    }

    // ---- libpq keyword/value strings ----------------------------------------------------------------------------

    /**
     * libpq's conninfo_parse: {@code kw = value} pairs, values bare (backslash escapes) or in single quotes.
     * {@code offset} is where {@code s} starts in the text the operator wrote, so positions in messages match it.
     */
    static Map<String, String> parseKeywords(String s, int offset) {
        Map<String, String> params = new LinkedHashMap<>();
        int n = s.length();
        int i = 0;
        while (true) {
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return params;
            }
            int start = i;
            while (i < n && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != '=') {
                i++;
            }
            String keyword = s.substring(start, i);
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= n || s.charAt(i) != '=') {
                throw new InvalidPgUriException("missing \"=\" after \"" + keyword
                        + "\" in connection info string (at position " + (offset + start + 1) + ")");
            }
            if (keyword.isEmpty()) {
                throw new InvalidPgUriException("missing keyword before \"=\" in connection info string (at position "
                        + (offset + i + 1) + ")");
            }
            i++;
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && s.charAt(i) == '\'') {
                int quote = i;
                i++;
                while (true) {
                    if (i >= n) {
                        throw new InvalidPgUriException("unterminated quoted string in connection info string "
                                + "(value of \"" + keyword + "\" opened at position " + (offset + quote + 1) + ")");
                    }
                    char c = s.charAt(i);
                    if (c == '\\') {
                        i++;
                        if (i >= n) {
                            continue;
                        }
                        value.append(s.charAt(i++));
                    } else if (c == '\'') {
                        i++;
                        break;
                    } else {
                        value.append(c);
                        i++;
                    }
                }
            } else {
                while (i < n && !Character.isWhitespace(s.charAt(i))) {
                    char c = s.charAt(i++);
                    if (c == '\\') {
                        if (i < n) {
                            value.append(s.charAt(i++));
                        }
                    } else {
                        value.append(c);
                    }
                }
            }
            params.put(keyword, value.toString());
        }
    }

    // ---- libpq URIs, read by the driver ---------------------------------------------------------------------------

    /**
     * A libpq URI, {@code postgresql://[user[:password]@][host[:port][,...]][/dbname][?k=v&...]}, handed to pgjdbc:
     * only the user info, which JDBC URLs do not carry, is taken out here (libpq looks for the {@code @} before the
     * first {@code /}, so {@code @} and {@code /} in a password are percent-encoded). Hosts, ports, the database and
     * the parameters are the driver's to read; parameters keep libpq's names, translated as in the keyword form.
     */
    private static PgUri fromUri(String uri) {
        String rest = uri.substring(uri.indexOf("://") + 3);
        int end = rest.length();
        for (int i = 0; i < rest.length(); i++) {
            if (rest.charAt(i) == '/' || rest.charAt(i) == '?') {
                end = i;
                break;
            }
        }
        int at = rest.substring(0, end).indexOf('@');
        Map<String, String> libpq = new LinkedHashMap<>();
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            int colon = userInfo.indexOf(':');
            libpq.put("user", percentDecoded(colon < 0 ? userInfo : userInfo.substring(0, colon)));
            if (colon >= 0) {
                libpq.put("password", percentDecoded(userInfo.substring(colon + 1)));
            }
            rest = rest.substring(at + 1);
            end -= at + 1;
        }
        String jdbc = "jdbc:postgresql://" + rest.substring(0, end) + (rest.startsWith("/", end) ? "" : "/")
                + rest.substring(end);
        Properties props = Driver.parseURL(jdbc, new Properties());
        if (props == null) {
            throw new InvalidPgUriException("malformed PostgreSQL URI (the JDBC driver cannot read its hosts, ports or "
                    + "database)");
        }
        libpq.put("host", hostList(props.getProperty("PGHOST", "")));
        libpq.put("port", props.getProperty("PGPORT", ""));
        libpq.put("dbname", props.getProperty("PGDBNAME", ""));
        for (String name : props.stringPropertyNames()) {
            if (!name.startsWith("PG")) {
                libpq.putIfAbsent(name, props.getProperty(name));
            }
        }
        return fromLibpq(libpq);
    }

    /** The driver's host list without the brackets of IPv6 literals. */
    private static String hostList(String hosts) {
        List<String> out = new ArrayList<>();
        for (String host : hosts.split(",", -1)) {
            if (host.startsWith("[") && host.endsWith("]") && host.length() > 2) {
                host = host.substring(1, host.length() - 1);
            } else if (host.indexOf('[') >= 0 || host.indexOf(']') >= 0) {
                throw new InvalidPgUriException("malformed host in URI: an IPv6 address goes in brackets, [::1]:5432");
            }
            out.add(host);
        }
        return String.join(",", out);
    }

    private static String percentDecoded(String s) {
        try {
            // URLDecoder also reads '+' as a space, which URIs do not: keep it a plus.
            String decoded = URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
            if (decoded.indexOf('\0') >= 0 || decoded.indexOf('\uFFFD') >= 0) {
                throw new IllegalArgumentException("NUL or not UTF-8");
            }
            return decoded;
        } catch (IllegalArgumentException e) {
            throw new InvalidPgUriException("invalid percent-encoding in the URI's user name or password");
        }
    }

    // ---- JDBC URLs ----------------------------------------------------------------------------------------------

    private static PgUri fromJdbc(String url) {
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new InvalidPgUriException("not a PostgreSQL JDBC URL: it must start with \"jdbc:postgresql:\"");
        }
        // pgjdbc's own parser, so that anything the driver accepts means here what it means to the driver.
        Properties props = Driver.parseURL(url, new Properties());
        if (props == null) {
            throw new InvalidPgUriException("malformed PostgreSQL JDBC URL (the driver rejects it)");
        }
        String[] hostNames = props.getProperty("PGHOST", "localhost").split(",", -1);
        String[] portNumbers = props.getProperty("PGPORT", Integer.toString(PgUri.DEFAULT_PORT)).split(",", -1);
        List<PgUri.HostPort> hosts = new ArrayList<>();
        for (int i = 0; i < hostNames.length; i++) {
            String port = portNumbers[Math.min(i, portNumbers.length - 1)];
            hosts.add(new PgUri.HostPort(hostNames[i].isEmpty() ? "localhost" : hostNames[i], parsePort(port)));
        }
        String user = emptyToNull(props.getProperty("user"));
        String password = props.getProperty("password");
        String database = emptyToNull(props.getProperty("PGDBNAME"));
        if (database == null) {
            database = requireDatabaseOrUser(user);
        }
        Map<String, String> extra = new LinkedHashMap<>();
        for (String name : props.stringPropertyNames()) {
            if (!name.startsWith("PG") && !name.equals("user") && !name.equals("password")) {
                extra.put(name, props.getProperty(name));
            }
        }
        return new PgUri(hosts, database, user, emptyToNull(password), extra);
    }

    // ---- libpq keywords to JDBC ---------------------------------------------------------------------------------

    static PgUri fromLibpq(Map<String, String> libpq) {
        Map<String, String> params = new LinkedHashMap<>(libpq);
        String hostParam = emptyToNull(params.remove("host"));
        String hostaddr = emptyToNull(params.remove("hostaddr"));
        String portParam = params.remove("port");
        String hostSpec = hostParam != null ? hostParam : hostaddr;

        List<String> hostNames = hostSpec == null ? List.of("") : List.of(hostSpec.split(",", -1));
        List<String> portNumbers = portParam == null || portParam.isEmpty()
                ? List.of("") : List.of(portParam.split(",", -1));
        if (portNumbers.size() != 1 && portNumbers.size() != hostNames.size()) {
            throw new InvalidPgUriException("could not match " + portNumbers.size() + " port numbers to "
                    + hostNames.size() + " hosts");
        }
        List<PgUri.HostPort> hosts = new ArrayList<>();
        for (int i = 0; i < hostNames.size(); i++) {
            String host = hostNames.get(i).strip();
            if (host.startsWith("/") || host.startsWith("@")) {
                throw new InvalidPgUriException("host \"" + host + "\" is a Unix-domain socket directory, which the "
                        + "JDBC driver cannot use: give a TCP host name or address");
            }
            String port = portNumbers.get(portNumbers.size() == 1 ? 0 : i).strip();
            hosts.add(new PgUri.HostPort(host.isEmpty() ? "localhost" : host,
                    port.isEmpty() ? PgUri.DEFAULT_PORT : parsePort(port)));
        }

        String user = emptyToNull(params.remove("user"));
        String password = emptyToNull(params.remove("password"));
        String database = emptyToNull(params.remove("dbname"));
        if (database == null) {
            database = requireDatabaseOrUser(user);
        }

        Map<String, String> jdbc = new LinkedHashMap<>();
        String fallbackApplicationName = params.remove("fallback_application_name");
        for (Map.Entry<String, String> e : params.entrySet()) {
            translate(e.getKey(), e.getValue(), jdbc);
        }
        if (fallbackApplicationName != null && !jdbc.containsKey("ApplicationName")) {
            jdbc.put("ApplicationName", fallbackApplicationName);
        }
        return new PgUri(hosts, database, user, password, jdbc);
    }

    private static void translate(String keyword, String value, Map<String, String> jdbc) {
        if (UNSUPPORTED.contains(keyword)) {
            throw new InvalidPgUriException("libpq parameter \"" + keyword + "\" is not supported by the JDBC driver; "
                    + "remove it (put host, port, dbname, user and password in the connection string itself)");
        }
        if (IGNORED.contains(keyword)) {
            return;
        }
        switch (keyword) {
            case "ssl" -> {
                // A JDBC-ism libpq accepts in URIs: ssl=true means sslmode=require there.
                if (value.equals("true")) {
                    jdbc.put("sslmode", "require");
                }
            }
            case "sslmode" -> {
                if (!SSL_MODES.contains(value)) {
                    throw new InvalidPgUriException("invalid sslmode value: \"" + value + "\"");
                }
                jdbc.put("sslmode", value);
            }
            case "sslcert", "sslkey", "sslrootcert", "sslpassword" -> jdbc.put(keyword, value);
            case "sslnegotiation" -> jdbc.put("sslNegotiation", value);
            case "connect_timeout" -> {
                int seconds;
                try {
                    seconds = Integer.parseInt(value.strip());
                } catch (NumberFormatException e) {
                    throw new InvalidPgUriException("invalid integer value \"" + value
                            + "\" for connection option \"connect_timeout\"");
                }
                // libpq treats values below 2 (except 0 = forever) as 2 seconds.
                jdbc.put("connectTimeout", Integer.toString(seconds <= 0 ? 0 : Math.max(seconds, 2)));
            }
            case "application_name" -> jdbc.put("ApplicationName", value);
            case "options" -> jdbc.put("options", value);
            case "target_session_attrs" -> {
                String type = TARGET_SERVER_TYPES.get(value);
                if (type == null) {
                    throw new InvalidPgUriException("invalid target_session_attrs value: \"" + value + "\"");
                }
                jdbc.put("targetServerType", type);
            }
            case "load_balance_hosts" -> {
                if (!value.equals("disable") && !value.equals("random")) {
                    throw new InvalidPgUriException("invalid load_balance_hosts value: \"" + value + "\"");
                }
                jdbc.put("loadBalanceHosts", Boolean.toString(value.equals("random")));
            }
            case "keepalives" -> jdbc.put("tcpKeepAlive", Boolean.toString(!value.strip().equals("0")));
            case "gssencmode" -> jdbc.put("gssEncMode", value);
            case "krbsrvname" -> jdbc.put("kerberosServerName", value);
            case "channel_binding" -> jdbc.put("channelBinding", value);
            case "client_encoding" -> {
                String enc = value.toUpperCase(Locale.ROOT).replace("-", "");
                if (!enc.equals("UTF8") && !enc.equals("UNICODE") && !enc.equals("AUTO")) {
                    throw new InvalidPgUriException("client_encoding \"" + value
                            + "\" is not supported: the JDBC driver always uses UTF8");
                }
            }
            // Not a libpq keyword: a pgjdbc property such as prepareThreshold or socketTimeout, passed as given.
            default -> jdbc.put(keyword, value);
        }
    }

    private static int parsePort(String port) {
        try {
            int value = Integer.parseInt(port.strip());
            if (value >= 1 && value <= 65535) {
                return value;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new InvalidPgUriException("invalid port number: \"" + port + "\"");
    }

    private static String requireDatabaseOrUser(String user) {
        if (user == null) {
            throw new InvalidPgUriException("no database given: set dbname (or at least user, whose name libpq "
                    + "would use as the database name)");
        }
        return user;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
