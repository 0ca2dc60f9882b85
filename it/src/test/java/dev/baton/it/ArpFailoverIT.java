package dev.baton.it;

import static dev.baton.it.ArpLab.VIP4;
import static dev.baton.it.ArpLab.VIP6;
import static dev.baton.it.ArpLab.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testkit.BatonProcess;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three agents as installed (bin/baton and the arp plugin from plugins/) and a client in network
 * namespaces. Each test asserts what the client and the interfaces show: the VIP on exactly one
 * live node, the client's neighbour entry following the master, traffic reaching the VIP.
 * Skips without root.
 */
class ArpFailoverIT {

    private static final Duration HOLD = Duration.ofMillis(1500);
    private ArpLab lab;

    @AfterEach
    void teardown() {
        if (lab != null) {
            lab.close();
        }
    }

    /** n1 (150), n2 (100), n3 (50) at 100 ms adverts; waits for n1 to be master with the VIP. */
    private void threeNodes(boolean ipv6, boolean preempt) throws Exception {
        lab = new ArpLab("ar", 3);
        BatonProcess n1 = lab.baton("n1", lab.batonConfig("n1", 150, "100ms", ipv6, preempt, null));
        n1.awaitState("web", "MASTER", 1, WAIT);
        lab.baton("n2", lab.batonConfig("n2", 100, "100ms", ipv6, preempt, null));
        lab.baton("n3", lab.batonConfig("n3", 50, "100ms", ipv6, preempt, null));
        // Until the backups have heard n1, a failure now would be a race between their own start-up
        // timers (and without preempt, whoever won would rightly stay master).
        String master = ipv6 ? "fd99:0:0:0:0:0:0:11" : "10.99.0.11";
        for (String n : List.of("n2", "n3")) {
            node(n).await(Pattern.compile("instance web: following master " + Pattern.quote(master)), WAIT);
        }
    }

    private BatonProcess node(String name) {
        return (BatonProcess) lab.nodes.get(name);
    }

    private String mac(String name) {
        return lab.host(name).mac();
    }

    @Test
    void theVipLivesOnExactlyOneNodeAndTheClientReachesIt() throws Exception {
        threeNodes(false, true);
        lab.awaitHolders(VIP4, List.of("n1"), HOLD);
        assertThat(lab.clientReaches(VIP4)).isTrue();
        assertThat(lab.clientNeighbour(VIP4)).startsWith(mac("n1"));
    }

    @Test
    void aCrashedMasterIsReplacedAndTheClientFollowsTheFirstGratuitousArp() throws Exception {
        threeNodes(false, true);
        lab.awaitHolders(VIP4, List.of("n1"), Duration.ZERO);
        assertThat(lab.clientReaches(VIP4)).isTrue();
        assertThat(lab.clientNeighbour(VIP4)).isEqualTo(mac("n1") + " REACHABLE");

        lab.crash("n1");
        Matcher takeover = node("n2").awaitState("web", "MASTER", 1, WAIT);
        assertThat(takeover.group(1)).isEqualTo("no advert from master 10.99.0.11 for 360ms");
        // The client sent nothing since: its entry moved to n2 on n2's gratuitous ARP, which
        // leaves it STALE (RFC 4861-style update, as the keepalived capture shows) not REACHABLE.
        ArpLab.awaitLab("client's neighbour entry moves to n2", () -> lab.clientNeighbour(VIP4).equals(mac("n2") + " STALE"));
        lab.awaitHolders(VIP4, List.of("n2"), HOLD);
        assertThat(lab.holders(VIP4)).as("the dead machine keeps its copy").contains("n1");
        assertThat(lab.state("n3")).isEqualTo("BACKUP");
        assertThat(lab.clientReaches(VIP4)).isTrue();
    }

    @Test
    void aMasterWhoseLinkGoesDownReleasesAndTakesBackWhenItReturns() throws Exception {
        threeNodes(false, true);
        lab.awaitHolders(VIP4, List.of("n1"), Duration.ZERO);
        lab.lab.unplug(lab.host("n1"));
        Matcher fault = node("n1").awaitState("web", "FAULT", 1, WAIT);
        // A veth whose switch side goes down reads as "no carrier" or, bridged, "down".
        assertThat(fault.group(1)).matches("interface eth0: (no carrier|down)");
        node("n2").awaitState("web", "MASTER", 1, WAIT);
        // n1 has no carrier, so FAULT released its VIP: n2 is the only holder anywhere.
        ArpLab.awaitLab("the VIP only on n2", () -> lab.holders(VIP4).equals(List.of("n2")));
        assertThat(lab.clientReaches(VIP4)).isTrue();

        lab.lab.plug(lab.host("n1"));
        node("n1").awaitState("web", "MASTER", 2, WAIT); // back as backup, then preempts
        node("n2").awaitState("web", "BACKUP", 2, WAIT);
        lab.awaitHolders(VIP4, List.of("n1"), HOLD);
        ArpLab.awaitLab("client's neighbour entry back on n1", () -> lab.clientNeighbour(VIP4).startsWith(mac("n1")));
        assertThat(lab.clientReaches(VIP4)).isTrue();
    }

    @Test
    void aGracefulStopHandsOverWithPriorityZeroAndReleasesTheVip() throws Exception {
        threeNodes(false, true);
        lab.awaitHolders(VIP4, List.of("n1"), Duration.ZERO);
        node("n1").signal("TERM");
        assertThat(node("n1").awaitExit(WAIT)).isZero();
        Matcher takeover = node("n2").awaitState("web", "MASTER", 1, WAIT);
        assertThat(takeover.group(1)).isEqualTo("master 10.99.0.11 stopped (priority 0)");
        assertThat(lab.holders(VIP4)).doesNotContain("n1");
        lab.awaitHolders(VIP4, List.of("n2"), HOLD);
        assertThat(lab.clientReaches(VIP4)).isTrue();
    }

    @Test
    void aReturningHigherPriorityNodePreempts() throws Exception {
        threeNodes(false, true);
        lab.crash("n1");
        node("n2").awaitState("web", "MASTER", 1, WAIT);
        lab.restore("n1");
        node("n1").awaitState("web", "MASTER", 1, WAIT);
        node("n2").awaitState("web", "BACKUP", 2, WAIT);
        lab.awaitHolders(VIP4, List.of("n1"), HOLD);
        assertThat(lab.clientReaches(VIP4)).isTrue();
    }

    @Test
    void withoutPreemptTheReturningNodeStaysBackup() throws Exception {
        threeNodes(false, false);
        lab.crash("n1");
        node("n2").awaitState("web", "MASTER", 1, WAIT);
        lab.restore("n1");
        node("n1").awaitState("web", "BACKUP", 1, WAIT);
        lab.awaitHolders(VIP4, List.of("n2"), Duration.ofSeconds(3));
        assertThat(node("n1").transitionsInto("web", "MASTER")).isZero();
    }

    @Test
    void anIpv6VipMovesWithUnsolicitedNeighbourAdvertisements() throws Exception {
        threeNodes(true, true);
        lab.awaitHolders(VIP6, List.of("n1"), Duration.ZERO);
        assertThat(lab.clientReaches(VIP6)).isTrue();
        assertThat(lab.clientNeighbour(VIP6)).startsWith(mac("n1"));
        lab.crash("n1");
        node("n2").awaitState("web", "MASTER", 1, WAIT);
        ArpLab.awaitLab("client's IPv6 neighbour entry moves to n2", () -> lab.clientNeighbour(VIP6).startsWith(mac("n2")));
        lab.awaitHolders(VIP6, List.of("n2"), HOLD);
        assertThat(lab.clientReaches(VIP6)).isTrue();
    }
}
