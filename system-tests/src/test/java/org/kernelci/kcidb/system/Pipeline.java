package org.kernelci.kcidb.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kernelci.kcidb.contracts.events.Topics;
import org.kernelci.kcidb.gateway.GatewayMain;
import org.kernelci.kcidb.ingest.IngestMain;
import org.kernelci.kcidb.testsupport.TestDatabase;
import org.kernelci.kcidb.testsupport.TestKafka;
import org.kernelci.kcidb.testsupport.TestNames;
import org.kernelci.kcidb.testsupport.TestPostgres;

/**
 * A gateway and an ingest consumer, each started from its {@code main} in its own JVM and configured through the
 * environment names of the design, on the shared test broker (topics of their own) and a fresh database, sharing a
 * spool folder. Returned once both answer {@code /health}.
 *
 * @param db         the database the ingest consumer loads
 * @param gateway    the gateway's process
 * @param ingest     the ingest consumer's process
 * @param gatewayUrl the gateway's base URL
 * @param ingestPort the ingest consumer's HTTP port
 * @param spool      the spool folder
 */
record Pipeline(TestDatabase db, ServiceProcess gateway, ServiceProcess ingest, String gatewayUrl, int ingestPort,
        Path spool) {

    /**
     * @param name       a prefix for the topics, the database and the consumer groups
     * @param work       where the spool and the services' logs go
     * @param secret     the gateway's JWT secret
     * @param gatewayEnv more environment for the gateway (e.g. {@code KCIDB_INLINE_LIMIT})
     */
    static Pipeline start(String name, Path work, String secret, Map<String, String> gatewayEnv) throws Exception {
        TestDatabase db = TestPostgres.shared().newDatabase(name);
        Topics topics = Topics.defaults().withPrefix(TestNames.topic(name) + ".");
        Path spool = Files.createDirectories(work.resolve("spool"));
        Map<String, String> common = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", TestKafka.shared().bootstrapServers(),
                "KCIDB_TOPIC_SUBMISSIONS", topics.submissions(),
                "KCIDB_TOPIC_SUBMISSION_RESULTS", topics.submissionResults(),
                "KCIDB_TOPIC_FAILURES", topics.failures(),
                "KCIDB_TOPIC_SUBMISSIONS_DLQ", topics.submissionsDlq(),
                "KCIDB_TOPIC_PARTITIONS", "3");
        int ingestPort = ServiceProcess.freePort();
        Map<String, String> ingestEnv = new HashMap<>(common);
        ingestEnv.putAll(Map.of("PG_URI", db.pgUri(), "KCIDB_SPOOL_DIR", spool.toString(),
                "KCIDB_INGEST_GROUP_ID", TestNames.identifier("ingest"), "KCIDB_HTTP_PORT", Integer.toString(ingestPort)));
        ServiceProcess ingest = ServiceProcess.start("ingest-consumer", IngestMain.class.getName(), ingestEnv, List.of(),
                work.resolve("logs"));
        int gatewayPort = ServiceProcess.freePort();
        Map<String, String> env = new HashMap<>(common);
        env.putAll(Map.of("JWT_SECRET", secret, "KCIDB_GATEWAY_GROUP_ID", TestNames.identifier("gateway")));
        env.putAll(gatewayEnv);
        ServiceProcess gateway = ServiceProcess.start("gateway", GatewayMain.class.getName(), env,
                List.of("-p", Integer.toString(gatewayPort), "-b", "127.0.0.1", "-d", spool.toString()),
                work.resolve("logs"));
        String gatewayUrl = "http://127.0.0.1:" + gatewayPort;
        ingest.awaitHealthy("http://127.0.0.1:" + ingestPort + "/health", Duration.ofSeconds(90));
        gateway.awaitHealthy(gatewayUrl + "/health", Duration.ofSeconds(90));
        return new Pipeline(db, gateway, ingest, gatewayUrl, ingestPort, spool);
    }

    /**
     * Stops both services (SIGTERM) and drops the database.
     *
     * @return the exit codes of the gateway and the ingest consumer
     */
    List<Integer> stop() throws Exception {
        int gatewayExit = gateway.stop();
        int ingestExit = ingest.stop();
        db.drop();
        return List.of(gatewayExit, ingestExit);
    }
}
