package dev.baton.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The agent's logging, set up in code: one line per event on stdout, for journald and the lab.
 *
 * <p>Logback finds this through {@code ServiceLoader} before it would look for a
 * {@code logback.xml}. Parsing XML costs about 150 ms of class loading at every launch, which
 * would sit between the launch and the first advert. {@code BATON_LOG_LEVEL=debug} shows drops;
 * an operator who wants a logback file of their own passes {@code -Dlogback.configurationFile=FILE}
 * (in {@code BATON_JAVA_OPTS}) and this steps aside.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {

    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSS} %-5level %msg%n%ex{short}";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();

        ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
        stdout.setContext(context);
        stdout.setName("STDOUT");
        stdout.setEncoder(encoder);
        stdout.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(rootLevel(System.getenv("BATON_LOG_LEVEL")));
        root.addAppender(stdout);
        // Libraries that narrate their own start-up at INFO.
        context.getLogger("org.pf4j").setLevel(Level.WARN);
        context.getLogger("org.pcap4j").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** The root level for {@code BATON_LOG_LEVEL}: a level name in any case; unset or unknown is INFO. */
    static Level rootLevel(String name) {
        return name == null || name.isBlank() ? Level.INFO : Level.toLevel(name.trim(), Level.INFO);
    }
}
