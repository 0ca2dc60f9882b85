package dev.baton.it.bgp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testkit.BatonProcess;
import dev.baton.testkit.GoBgpProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bgp provider as installed, against a real GoBGP route server in network namespaces: the
 * route server's RIB shows who is primary, and follows the election when the master dies.
 */
class BgpFailoverIT {

    @Test
    void ribFollowsTheElectionWithLelasticsCommunities() throws Exception {
        try (BgpLab lab = new BgpLab("bgp4")) {
            List<BatonProcess> pair = lab.startPair(false, "secondary");
            BatonProcess n1 = pair.get(0);
            BatonProcess n2 = pair.get(1);

            // Master n1 with 65000:1, backup n2 with 65000:2.
            lab.awaitRib("n1 primary, n2 secondary", BgpLab.exactly(Map.of("10.99.0.12", 1, "10.99.0.13", 2)));
            // The VIP sits on lo on both nodes: BGP, not the interface, decides who gets traffic.
            for (String n : List.of("n1", "n2")) {
                assertThat(lab.lab.exec(lab.nodes.get(n), "ip", "-4", "addr", "show", "dev", "lo")).contains("10.99.0.50/32");
            }

            n1.signal("KILL");
            n2.awaitState("web", "MASTER", 1, BgpLab.WAIT);
            lab.awaitRib("n2 primary alone", BgpLab.exactly(Map.of("10.99.0.13", 1)));
            assertThat(n2.lines()).as("the session stayed up across the role change")
                    .filteredOn(l -> l.contains("BGP session to 10.99.0.11 established")).hasSize(1);
        }
    }

    @Test
    void withdrawModeLeavesOnlyTheMastersRoute() throws Exception {
        try (BgpLab lab = new BgpLab("bgpw")) {
            List<BatonProcess> pair = lab.startPair(false, "withdraw");
            BatonProcess n1 = pair.get(0);
            BatonProcess n2 = pair.get(1);
            n2.awaitState("web", "BACKUP", 1, BgpLab.WAIT);
            lab.awaitRib("only n1, primary", BgpLab.exactly(Map.of("10.99.0.12", 1)));

            // Graceful stop: the master withdraws, the backup announces.
            n1.signal("TERM");
            assertThat(n1.awaitExit(Duration.ofSeconds(15))).isZero();
            n2.awaitState("web", "MASTER", 1, BgpLab.WAIT);
            lab.awaitRib("only n2, primary", BgpLab.exactly(Map.of("10.99.0.13", 1)));
        }
    }

    @Test
    void ipv4OverIpv6SessionsCarryAnIpv6NextHop() throws Exception {
        try (BgpLab lab = new BgpLab("bgp6")) {
            List<BatonProcess> pair = lab.startPair(true, "secondary");
            BatonProcess n1 = pair.get(0);
            BatonProcess n2 = pair.get(1);
            // RFC 8950: the IPv4 VIP with each node's IPv6 address as next hop, as lelastic does
            // toward Linode's IPv6 route servers.
            lab.awaitRib("n1 primary, n2 secondary via IPv6 next hops", BgpLab.exactly(Map.of("fd99::12", 1, "fd99::13", 2)));
            n1.signal("KILL");
            n2.awaitState("web", "MASTER", 1, BgpLab.WAIT);
            List<GoBgpProcess.Path> after = lab.awaitRib("n2 primary", BgpLab.exactly(Map.of("fd99::13", 1)));
            assertThat(after).singleElement().satisfies(p -> assertThat(p.has(65000, 1)).isTrue());
        }
    }
}
