package org.kernelci.kcidb.contracts.kcidb;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Regenerates {@code src/main/resources/.../schema/v*.json} from the shared reference schemas (kcidb-io's dumps).
 *
 * <p>Run it after the reference schemas change:
 * {@code java -cp <test classpath> org.kernelci.kcidb.contracts.kcidb.SchemaResourceGenerator ../shared contracts/src/main/resources}.
 * {@link SchemaResourcesTest} fails whenever the checked-in resources differ from what this would write.
 */
public final class SchemaResourceGenerator {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaResourceGenerator.class);

    private final ObjectMapper mapper;

    SchemaResourceGenerator(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: SchemaResourceGenerator <shared dir> <resources root>");
        }
        SchemaResourceGenerator generator = new SchemaResourceGenerator(new ObjectMapper());
        Path sharedSchemas = Path.of(args[0], "kcidb-schema");
        Path target = Path.of(args[1] + KcidbSchemas.RESOURCE_DIR);
        Files.createDirectories(target);
        for (SchemaVersion version : SchemaVersion.ALL) {
            String text = generator.render(sharedSchemas.resolve(version.resourceName()));
            Files.writeString(target.resolve(version.resourceName()), text, StandardCharsets.UTF_8);
            LOG.info("wrote {} ({} chars)", target.resolve(version.resourceName()), text.length());
        }
    }

    /** What the resource for a reference schema file must contain, byte for byte. */
    String render(Path referenceSchema) throws IOException {
        ObjectNode reference = (ObjectNode) mapper.readTree(referenceSchema.toFile());
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        printer.indentArraysWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
        printer.indentObjectsWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
        return mapper.writer(printer).writeValueAsString(KcidbSchemas.withoutProse(reference)) + "\n";
    }
}
