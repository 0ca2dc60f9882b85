package dev.baton.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The start-up rehearsal must take every way into MASTER that a real takeover can: each builds
 * its own reason text, and a string concatenation first run at a real takeover links there
 * (measured in the lab: 0.3 ms at a fresh node's first takeover, before the gratuitous ARP).
 */
class RehearsalTest {

    private static final InetAddress SELF = InetAddress.ofLiteral("10.99.0.11");
    private static final InetAddress PEER = InetAddress.ofLiteral("10.99.0.12");
    private static final InetAddress VIP = InetAddress.ofLiteral("10.99.0.50");

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void takesEveryMasterDownPath(int version) {
        InstanceSpec template = new InstanceSpec("web", 51, version, 200, Duration.ofMillis(version == 3 ? 100 : 1000),
                SELF, List.of(PEER), List.of(VIP), true, Duration.ZERO, null);

        List<String> toMaster = Rehearsal.transitions(template).stream()
                .filter(t -> t.startsWith("BACKUP -> MASTER")).toList();

        assertThat(toMaster).anySatisfy(t -> assertThat(t).contains("no advert from a master for"));
        assertThat(toMaster).anySatisfy(t -> assertThat(t).contains("no advert from master 10.99.0.12 for"));
        assertThat(toMaster).anySatisfy(t -> assertThat(t).contains("master 10.99.0.12 stopped (priority 0)"));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void endsWithTheShutdownOfAMaster(int version) {
        InstanceSpec template = new InstanceSpec("web", 51, version, 200, Duration.ofSeconds(1),
                SELF, List.of(PEER), List.of(VIP), true, Duration.ZERO, null);

        List<String> all = Rehearsal.transitions(template);

        assertThat(all.getLast()).isEqualTo("MASTER -> INIT (shutdown)"); // a graceful stop: priority 0 sent
    }
}
