package org.kernelci.kcidb.testsupport;

import java.net.URL;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Gives every module's tests quiet logs without each module copying a {@code logback-test.xml}: WARN and above
 * from libraries (the Kafka broker alone logs ~5 700 INFO lines per start), INFO from {@code org.kernelci}.
 *
 * <p>Logback discovers this class through {@code META-INF/services} and runs it before its own file lookup. It
 * applies {@code kcidb-test-logback.xml} from this jar, unless the module has a {@code logback-test.xml} of its
 * own or {@code -Dlogback.configurationFile} is set: then it steps aside and logback's usual rules apply. A
 * service's production {@code logback.xml} on the test classpath does not win over this, just as it would not
 * win over a {@code logback-test.xml}.
 *
 * <p>Why not ship a {@code logback-test.xml} in this jar: it would shadow a module's own file depending on
 * classpath order. Why not a surefire system property: it needs the root pom, and runs from an IDE would miss it.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_TOP_PRIORITY)
public final class TestLogbackConfigurator extends ContextAwareBase implements Configurator {

    /** The configuration this class applies; modules may copy it as their own {@code logback-test.xml}. */
    public static final String RESOURCE = "kcidb-test-logback.xml";

    public TestLogbackConfigurator() {
        // Instantiated by ServiceLoader.
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        ClassLoader loader = TestLogbackConfigurator.class.getClassLoader();
        if (System.getProperty("logback.configurationFile") != null
                || loader.getResource("logback-test.xml") != null) {
            addInfo("A module-specific logback configuration exists; leaving it to logback.");
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        URL config = loader.getResource(RESOURCE);
        if (config == null) {
            addWarn(RESOURCE + " is missing from the classpath; leaving configuration to logback.");
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(context);
        try {
            joran.doConfigure(config);
        } catch (JoranException e) {
            addError("Could not apply " + config, e);
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
