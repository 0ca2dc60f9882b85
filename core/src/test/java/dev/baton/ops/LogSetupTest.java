package dev.baton.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogSetupTest {

    @Test
    void theAgentsLoggerIsTheOneLogbackPicksUp() {
        // ServiceLoader found LogSetup: the root logger writes through its STDOUT appender and pattern.
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        var appender = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDOUT");
        assertThat(appender).isInstanceOf(ConsoleAppender.class);
        var encoder = ((ConsoleAppender<?>) appender).getEncoder();
        assertThat(((PatternLayoutEncoder) encoder).getPattern()).isEqualTo(LogSetup.PATTERN);
        assertThat(context.getLogger("org.pf4j").getLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void configuresAFreshContext() {
        LoggerContext context = new LoggerContext();
        assertThat(new LogSetup().configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger("org.pcap4j").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDOUT").isStarted()).isTrue();
    }

    @Test
    void levelFromTheEnvironment() {
        assertThat(LogSetup.rootLevel(null)).isEqualTo(Level.INFO);
        assertThat(LogSetup.rootLevel(" ")).isEqualTo(Level.INFO);
        assertThat(LogSetup.rootLevel("debug")).isEqualTo(Level.DEBUG);
        assertThat(LogSetup.rootLevel("WARN")).isEqualTo(Level.WARN);
        assertThat(LogSetup.rootLevel("loud")).isEqualTo(Level.INFO);
    }
}
