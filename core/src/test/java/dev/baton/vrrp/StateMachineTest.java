package dev.baton.vrrp;

import static dev.baton.testing.VirtualCluster.address;
import static dev.baton.vrrp.Instance.State.BACKUP;
import static dev.baton.vrrp.Instance.State.FAULT;
import static dev.baton.vrrp.Instance.State.INIT;
import static dev.baton.vrrp.Instance.State.MASTER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testing.MemoryNetwork;
import dev.baton.testing.VirtualCluster;
import dev.baton.testing.VirtualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 5798 section 6, one rule per test, on a virtual clock: times are exact, runs deterministic.
 * Network latency is 0.1 ms. With 1 s adverts: Skew_Time is 414.06 ms at priority 150, 609.38 ms
 * at 100 and 804.69 ms at 50; Master_Down_Interval is 3 s more.
 */
class StateMachineTest {

    private static final double SKEW_100 = 156 * 1000.0 / 256;   // 609.375 ms
    private static final double MDI_100 = 3000 + SKEW_100;
    private static final double MDI_150 = 3000 + 106 * 1000.0 / 256;

    /** 6.4.1: a non-owner starts as backup and takes over after Master_Down_Interval. */
    @Test
    void startsAsBackupAndTakesOverAfterMasterDownInterval() {
        VirtualCluster c = VirtualCluster.of(100, 50);
        c.node(1).start();
        assertThat(c.node(1).state()).isEqualTo(BACKUP);
        c.advanceMillis(3609);
        assertThat(c.node(1).state()).isEqualTo(BACKUP);
        c.advanceMillis(1);
        assertThat(c.node(1).state()).isEqualTo(MASTER);
        // 6.4.2: the first thing a new master does is advertise.
        assertThat(c.node(1).advertsSent()).hasSize(1).allMatch(p -> p.priority() == 100);
    }

    /** 6.4.1: the address owner (priority 255) becomes master at once. */
    @Test
    void addressOwnerBecomesMasterAtOnce() {
        VirtualCluster c = VirtualCluster.of(255, 100);
        c.node(1).start();
        assertThat(c.node(1).state()).isEqualTo(MASTER);
        assertThat(c.node(1).transitions.getFirst().reason()).contains("address owner");
    }

    /** 6.1: Skew_Time and Master_Down_Interval from the priority and Master_Adver_Interval. */
    @Test
    void skewTimeAndMasterDownIntervalFollowTheRfcFormulas() {
        VirtualCluster c = VirtualCluster.of(100, 50);
        Instance i = c.node(1).instance;
        assertThat(i.skewTimeNanos()).isEqualTo(609_375_000L);
        assertThat(i.masterDownIntervalNanos()).isEqualTo(3_609_375_000L);
        Instance low = c.node(2).instance;
        assertThat(low.skewTimeNanos()).isEqualTo(804_687_500L);
    }

    /** Started together, the higher priority's shorter skew makes it master; the others stay backup. */
    @Test
    void higherPriorityWinsWhenAllStartTogether() {
        VirtualCluster c = VirtualCluster.of(150, 100, 50);
        c.startAll();
        c.advanceMillis(20_000);
        assertThat(c.masters()).containsExactly(c.node(1));
        assertThat(c.node(1).lastEntered(MASTER)).isEqualTo((long) MDI_150);
        assertThat(c.node(2).lastEntered(MASTER)).isEqualTo(-1);
        assertThat(c.node(3).lastEntered(MASTER)).isEqualTo(-1);
    }

    /** 6.4.3: a master advertises every Advertisement_Interval, one copy per peer. */
    @Test
    void masterAdvertisesEveryIntervalToEachPeer() {
        VirtualCluster c = VirtualCluster.of(150, 100, 50);
        c.startAll();
        c.advanceMillis(5000);
        c.network.clearLog();
        c.advanceMillis(10_000);
        List<MemoryNetwork.Sent> sent = c.network.sent();
        assertThat(sent).allMatch(s -> s.src().equals(address(1)));
        assertThat(sent.stream().filter(s -> s.dst().equals(address(2)))).hasSize(10);
        assertThat(sent.stream().filter(s -> s.dst().equals(address(3)))).hasSize(10);
    }

    /**
     * A late Adver_Timer (the thread stopped for 250 ms) sends late once; the adverts after it are
     * back on the instance's own schedule, not moved by the stall.
     */
    @Test
    void aLateAdvertDoesNotMoveTheSchedule() {
        VirtualCluster c = VirtualCluster.of(150, 100);
        c.startAll();
        c.advanceMillis(5000);
        c.network.clearLog();
        c.advanceMillis(1000);
        long phase = c.network.sent().getLast().atNanos() % 1_000_000_000L;
        c.scheduler.advance(java.time.Duration.ofNanos(Math.floorMod(phase - c.scheduler.nanoTime(), 1_000_000_000L)
                - 50_000_000L)); // 50 ms before the next advert
        c.scheduler.stall(java.time.Duration.ofMillis(300));
        c.network.clearLog();
        c.advanceMillis(3000);

        List<Long> at = c.network.sent().stream().filter(s -> s.dst().equals(address(2))).map(MemoryNetwork.Sent::atNanos).toList();
        assertThat(at).hasSize(4); // the late one, then the schedule: 750 ms later, and each second
        assertThat(at.get(0) % 1_000_000_000L).as("the late one").isEqualTo((phase + 250_000_000L) % 1_000_000_000L);
        assertThat(at.subList(1, 4)).allMatch(t -> t % 1_000_000_000L == phase);
    }

    /** 6.4.3 Shutdown: priority 0, and the backup takes over after Skew_Time, not Master_Down_Interval. */
    @Test
    void shutdownSendsPriorityZeroAndBackupTakesOverAfterSkewTime() {
        VirtualCluster c = VirtualCluster.of(150, 100);
        c.startAll();
        c.advanceMillis(5000);
        c.network.clearLog();
        long stopAt = c.nowMillis();
        c.node(1).instance.shutdown();
        assertThat(c.node(1).state()).isEqualTo(INIT);
        assertThat(c.node(1).advertsSent()).singleElement().matches(p -> p.priority() == 0);
        c.advanceMillis(609);
        assertThat(c.node(2).state()).isEqualTo(BACKUP);
        c.advanceMillis(2);
        assertThat(c.node(2).state()).isEqualTo(MASTER);
        assertThat(c.node(2).lastEntered(MASTER) - stopAt).isBetween((long) SKEW_100, (long) SKEW_100 + 1);
        assertThat(c.node(2).transitions.getLast().reason()).contains("stopped (priority 0)");
    }

    /** 6.4.2: when adverts stop, the backup takes over Master_Down_Interval after the last one. */
    @Test
    void backupTakesOverMasterDownIntervalAfterTheLastAdvert() {
        VirtualCluster c = VirtualCluster.of(150, 100);
        c.startAll();
        c.advanceMillis(5300);
        c.network.isolate(address(1));
        long lastAdvert = lastSendMillis(c, 1);
        c.advanceMillis(5000);
        assertThat(c.node(2).state()).isEqualTo(MASTER);
        double expected = lastAdvert + 0.1 + MDI_100;
        assertThat((double) c.node(2).lastEntered(MASTER)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1.0));
    }

    /** 6.4.3: a master hearing a higher priority becomes backup. */
    @Test
    void masterHearingHigherPriorityBecomesBackup() {
        VirtualCluster c = VirtualCluster.of(150, 100);
        c.node(2).start();
        c.advanceMillis(4000);
        assertThat(c.node(2).state()).isEqualTo(MASTER);
        c.node(1).start(); // preempt: discards the lower adverts, takes over after its own timer
        c.advanceMillis(5000);
        assertThat(c.masters()).containsExactly(c.node(1));
        assertThat(c.node(2).transitions.getLast().reason()).contains("higher priority 150 > 100 from 10.99.0.11");
    }

    /** 6.4.3: on equal priority the higher primary address wins. */
    @Test
    void equalPriorityIsBrokenByTheHigherAddress() {
        VirtualCluster c = VirtualCluster.of(100, 100);
        c.startAll(); // both time out at the same instant (3609.375 ms) and both become master
        c.scheduler.advance(Duration.ofMillis(3609).plusNanos(400_000));
        assertThat(c.masters()).hasSize(2);
        c.advanceMillis(10);
        assertThat(c.masters()).containsExactly(c.node(2));
        assertThat(c.node(1).transitions.getLast().reason()).contains("equal priority 100, higher address 10.99.0.12");
    }

    /** 6.4.2 with Preempt_Mode false: a higher-priority backup leaves a lower master alone. */
    @Test
    void withoutPreemptALowerMasterStays() {
        VirtualCluster c = VirtualCluster.of(VirtualCluster.preempt(false, Duration.ZERO), 150, 100);
        c.node(2).start();
        c.advanceMillis(4000);
        c.node(1).start();
        c.advanceMillis(30_000);
        assertThat(c.masters()).containsExactly(c.node(2));
        assertThat(c.node(1).state()).isEqualTo(BACKUP);
    }

    /** With preempt on (the default), a returning higher priority takes over once its timer fires. */
    @Test
    void withPreemptAHigherNodeTakesOverFromALowerMaster() {
        VirtualCluster c = VirtualCluster.of(150, 100);
        c.node(2).start();
        c.advanceMillis(4000);
        long joined = c.nowMillis();
        c.node(1).start();
        c.advanceMillis(5000);
        assertThat(c.masters()).containsExactly(c.node(1));
        assertThat(c.node(1).lastEntered(MASTER) - joined).isEqualTo((long) MDI_150);
    }

    /** Preempt delay (keepalived's preempt_delay): a lower master is tolerated for the delay. */
    @Test
    void preemptDelayToleratesALowerMasterForTheDelay() {
        VirtualCluster c = VirtualCluster.of(VirtualCluster.preempt(true, Duration.ofSeconds(10)), 150, 100);
        c.node(2).start();
        c.advanceMillis(4000);
        c.node(1).start();
        c.advanceMillis(10_000);
        assertThat(c.node(1).state()).isEqualTo(BACKUP);
        c.advanceMillis(6000);
        assertThat(c.masters()).containsExactly(c.node(1));
        // First lower advert seen at ~4.61 s, tolerated until 14.61 s, then Master_Down_Interval.
        assertThat(c.node(1).lastEntered(MASTER)).isBetween(14_000L + (long) MDI_150 - 1000, 14_700L + (long) MDI_150);
    }

    /** 6.4.2 (v3): a backup uses the master's advert interval, so it detects a fast master's death fast. */
    @Test
    void v3BackupLearnsTheMastersAdvertInterval() {
        VirtualCluster c = VirtualCluster.of(s -> s.source().equals(address(1))
                ? VirtualCluster.interval(Duration.ofMillis(100)).apply(s) : s, 150, 100);
        c.startAll();
        c.advanceMillis(6000);
        assertThat(c.node(1).state()).isEqualTo(MASTER);
        assertThat(c.node(2).instance.masterAdverIntervalNanos()).isEqualTo(100_000_000L);
        c.network.isolate(address(1));
        long last = lastSendMillis(c, 1);
        c.advanceMillis(2000);
        assertThat(c.node(2).state()).isEqualTo(MASTER);
        // 3 * 100 ms + (256 - 100) * 100 ms / 256 = 360.9 ms, not the 3.6 s of its own interval.
        assertThat(c.node(2).lastEntered(MASTER) - last).isBetween(360L, 362L);
    }

    /** RFC 3768 7.1: a v2 advert with another interval is discarded, and counted. */
    @Test
    void v2AdvertWithAnotherIntervalIsDiscarded() {
        VirtualCluster c = VirtualCluster.of(s -> {
            InstanceSpec v2 = VirtualCluster.v2(null).apply(s);
            return s.source().equals(address(1)) ? VirtualCluster.interval(Duration.ofSeconds(2)).apply(v2) : v2;
        }, 150, 100);
        c.startAll();
        c.advanceMillis(10_000);
        // A misconfiguration the RFC resolves by discarding: both end up master, and it shows.
        assertThat(c.masters()).hasSize(2);
        assertThat(c.node(2).metrics.droppedCount("web", "interval_mismatch")).isGreaterThan(0);
    }

    /** FAULT: a master leaving for FAULT sends priority 0, then nothing, until the fault clears. */
    @Test
    void faultStopsAdvertsAndHandsOverLikeShutdown() {
        VirtualCluster c = VirtualCluster.of(150, 100);
        c.startAll();
        c.advanceMillis(5000);
        c.network.clearLog();
        long at = c.nowMillis();
        c.node(1).instance.setFault("check web", "connection refused");
        assertThat(c.node(1).state()).isEqualTo(FAULT);
        assertThat(c.node(1).transitions.getLast().reason()).isEqualTo("check web: connection refused");
        assertThat(c.node(1).advertsSent()).singleElement().matches(p -> p.priority() == 0);
        c.advanceMillis(10_000);
        assertThat(c.node(2).lastEntered(MASTER) - at).isBetween((long) SKEW_100, (long) SKEW_100 + 1);
        assertThat(c.node(1).advertsSent()).hasSize(1);

        c.node(1).instance.clearFault("check web");
        assertThat(c.node(1).state()).isEqualTo(BACKUP);
        c.advanceMillis(5000);
        assertThat(c.masters()).containsExactly(c.node(1));
    }

    /** A fault raised by two sources holds until both clear. */
    @Test
    void faultHoldsUntilEverySourceClears() {
        VirtualCluster c = VirtualCluster.of(150, 100);
        c.node(1).instance.setFault("provider arp", "no such device");
        c.node(1).start();
        assertThat(c.node(1).state()).isEqualTo(FAULT);
        c.node(1).instance.setFault("check web", "timeout");
        c.node(1).instance.clearFault("provider arp");
        assertThat(c.node(1).state()).isEqualTo(FAULT);
        c.node(1).instance.clearFault("check web");
        assertThat(c.node(1).state()).isEqualTo(BACKUP);
    }

    /** 7.1: dropped packets (not a peer, TTL not 255) never reach the state machine or its timers. */
    @Test
    void droppedAdvertsNeverMoveTimers() {
        VirtualCluster c = VirtualCluster.of(150, 100);
        c.startAll();
        c.advanceMillis(5300);
        c.network.isolate(address(1));
        long last = lastSendMillis(c, 1);
        var stranger = java.net.InetAddress.ofLiteral("10.99.0.99");
        byte[] strangerAdvert = VrrpEncoder.encode(VrrpPacket.v3(51, 255, 100, List.of(VirtualCluster.VIP)),
                stranger, address(2));
        byte[] lowTtlAdvert = VrrpEncoder.encode(VrrpPacket.v3(51, 150, 100, List.of(VirtualCluster.VIP)),
                address(1), address(2));
        for (int i = 0; i < 50; i++) {
            c.network.inject(strangerAdvert, stranger, address(2), 255);
            c.network.inject(lowTtlAdvert, address(1), address(2), 1);
            c.advanceMillis(100);
        }
        assertThat(c.node(2).state()).isEqualTo(MASTER);
        assertThat(c.node(2).lastEntered(MASTER) - last).isBetween((long) MDI_100, (long) MDI_100 + 1);
        assertThat(c.node(2).metrics.droppedCount("web", "not_peer")).isEqualTo(50);
        assertThat(c.node(2).metrics.droppedCount("web", "ttl")).isEqualTo(50);
    }

    /** Two masters (a healed partition) converge within one advert interval; the higher stays. */
    @Test
    void twoMastersConvergeAsSoonAsTheyHearEachOther() {
        VirtualCluster c = VirtualCluster.of(150, 100);
        c.startAll();
        c.advanceMillis(5000);
        c.network.dropWhen(s -> true);
        c.advanceMillis(5000);
        assertThat(c.masters()).hasSize(2);
        long healed = c.nowMillis();
        c.network.dropWhen(s -> false);
        c.advanceMillis(1001);
        assertThat(c.masters()).containsExactly(c.node(1));
        assertThat(c.node(2).lastEntered(BACKUP) - healed).isLessThanOrEqualTo(1000);
        // The higher master heard the lower one claim master, and then yield: the agent announces
        // the VIP afresh.
        assertThat(c.node(1).rivals).containsOnly("10.99.0.12/100", "10.99.0.12 yielded").contains("10.99.0.12/100");
        assertThat(c.node(2).rivals).isEmpty();
    }

    /** Health-check weights: a master whose priority drops below a backup's loses to it (preempt). */
    @Test
    void loweredPriorityLetsAPreemptingBackupTakeOver() {
        VirtualCluster c = VirtualCluster.of(150, 100);
        c.startAll();
        c.advanceMillis(5000);
        c.node(1).instance.setPriorityDelta(-60);
        c.advanceMillis(6000);
        assertThat(c.masters()).containsExactly(c.node(2));
        assertThat(c.node(1).instance.priority()).isEqualTo(90);
    }

    /** Adjustments never make a node the owner or stop it, and never touch the owner. */
    @Test
    void priorityAdjustmentsStayWithinOneTo254() {
        VirtualCluster c = VirtualCluster.of(200, 255);
        c.node(1).instance.setPriorityDelta(+100);
        assertThat(c.node(1).instance.priority()).isEqualTo(254);
        c.node(1).instance.setPriorityDelta(-300);
        assertThat(c.node(1).instance.priority()).isEqualTo(1);
        c.node(2).instance.setPriorityDelta(-100);
        assertThat(c.node(2).instance.priority()).isEqualTo(255);
    }

    // ---- three nodes ----------------------------------------------------------------------

    @Test
    void threeNodesTheNextBestTakesOverWhenTheMasterDies() {
        VirtualCluster c = VirtualCluster.of(150, 100, 50);
        c.startAll();
        c.advanceMillis(5300);
        c.network.isolate(address(1));
        for (int i = 0; i < 100; i++) {
            c.advanceMillis(100);
            long liveMasters = c.nodes.subList(1, 3).stream().filter(n -> n.state() == MASTER).count();
            assertThat(liveMasters).as("live masters at %d ms", c.nowMillis()).isLessThanOrEqualTo(1);
        }
        assertThat(c.node(2).state()).isEqualTo(MASTER);
        assertThat(c.node(3).state()).isEqualTo(BACKUP);
        assertThat(c.node(3).lastEntered(MASTER)).isEqualTo(-1);
    }

    @Test
    void threeNodesGracefulStopHandsToTheNextBestOnly() {
        VirtualCluster c = VirtualCluster.of(150, 100, 50);
        c.startAll();
        c.advanceMillis(5000);
        c.node(1).instance.shutdown();
        c.advanceMillis(5000);
        assertThat(c.masters()).containsExactly(c.node(2));
        assertThat(c.node(3).lastEntered(MASTER)).isEqualTo(-1);
    }

    @Test
    void threeNodesRestartedMasterPreemptsAndTheOthersFollow() {
        VirtualCluster c = VirtualCluster.of(150, 100, 50);
        c.startAll();
        c.advanceMillis(5000);
        c.network.isolate(address(1)); // crash: no priority 0
        c.node(1).instance.shutdown();
        c.advanceMillis(5000);
        assertThat(c.masters()).containsExactly(c.node(2));
        c.network.heal(address(1));
        c.node(1).start();
        c.advanceMillis(5000);
        assertThat(c.masters()).containsExactly(c.node(1));
        assertThat(c.node(2).state()).isEqualTo(BACKUP);
        assertThat(c.node(3).state()).isEqualTo(BACKUP);
    }

    @Test
    void threeNodesIsolatedMasterRejoinsWithoutLeavingTwoMasters() {
        VirtualCluster c = VirtualCluster.of(100, 150, 50);
        c.startAll();
        c.advanceMillis(5000);
        assertThat(c.masters()).containsExactly(c.node(2));
        c.network.isolate(address(2));
        c.advanceMillis(5000);
        assertThat(c.masters()).containsExactlyInAnyOrder(c.node(1), c.node(2)); // node 2 cannot know
        c.network.heal(address(2));
        c.advanceMillis(1001);
        assertThat(c.masters()).containsExactly(c.node(2));
    }

    private static long lastSendMillis(VirtualCluster c, int node) {
        List<MemoryNetwork.Sent> sent = c.network.sent().stream().filter(s -> s.src().equals(address(node))).toList();
        return sent.getLast().atNanos() / 1_000_000 - (c.scheduler.nowMillis() - c.nowMillis());
    }

    @Test
    void aMasterThatYieldsAfterAPartitionTellsTheWinnerWhichAnnouncesAgain() {
        VirtualCluster c = VirtualCluster.of(150, 100);
        c.startAll();
        c.advanceMillis(5_000);
        assertThat(c.masters()).containsExactly(c.node(1));
        // A partition: n2 takes over. Then it heals and n1's first advert reaches n2 before any of
        // n2's (but the priority 0) reached n1.
        c.network.dropWhen(s -> true);
        c.advanceMillis(5_000);
        assertThat(c.masters()).containsExactlyInAnyOrder(c.node(1), c.node(2));
        c.network.dropWhen(s -> s.src().equals(c.node(2).address) && s.message()[2] != 0);
        c.advanceMillis(1_000);

        assertThat(c.masters()).containsExactly(c.node(1));
        // n2's priority 0 went to n1 alone, and n1, master for long, took it as a split brain.
        assertThat(c.node(1).rivals).containsExactly(c.node(2).address.getHostAddress() + " yielded");
    }

    @Test
    void aPreemptionIsNoSplitBrain() {
        VirtualCluster c = VirtualCluster.of(100, 150);
        c.node(1).start();
        c.advanceMillis(5_000);
        c.node(2).start(); // higher priority, preempts: n1 yields within its first interval as master
        c.advanceMillis(5_000);

        assertThat(c.masters()).containsExactly(c.node(2));
        assertThat(c.node(2).rivals).isEmpty();
    }

    /**
     * 6.4.2 lists the advert before the gratuitous ARP. The ARP is the providers' work on other
     * threads, handed over when the transition is announced, so the transition comes first: the
     * announcement is under way while this thread sends the advert, not after it.
     */
    @Test
    void aNewMasterAnnouncesItsTransitionBeforeItsFirstAdvert() {
        VirtualScheduler clock = new VirtualScheduler();
        List<String> events = new ArrayList<>();
        InstanceSpec spec = new InstanceSpec("web", 51, 3, 100, Duration.ofSeconds(1), address(1), List.of(address(2)),
                List.of(VirtualCluster.VIP), true, Duration.ZERO, null);
        Instance i = new Instance(spec, clock, new Instance.Events() {
            @Override
            public void sendAdvert(Instance instance, VrrpPacket advert) {
                events.add("advert " + advert.priority());
            }

            @Override
            public void onTransition(Instance instance, Instance.State from, Instance.State to, String reason) {
                events.add(from + " -> " + to);
            }
        });
        i.start();
        clock.advanceMillis((long) MDI_100 + 1);

        assertThat(events).containsExactly("INIT -> BACKUP", "BACKUP -> MASTER", "advert 100");
    }

    /**
     * The master-down reason is put into words ahead of time (when the master changes), so it must
     * follow what it describes: a master that changes its interval (v3 learns it, 6.4.2) or is
     * replaced by another.
     */
    @Test
    void theMasterDownReasonFollowsTheMasterAndItsInterval() {
        VirtualScheduler clock = new VirtualScheduler();
        List<String> reasons = new ArrayList<>();
        InstanceSpec spec = new InstanceSpec("web", 51, 3, 100, Duration.ofSeconds(1), address(1),
                List.of(address(2), address(3)), List.of(VirtualCluster.VIP), true, Duration.ZERO, null);
        Instance i = new Instance(spec, clock, new Instance.Events() {
            @Override
            public void sendAdvert(Instance instance, VrrpPacket advert) {}

            @Override
            public void onTransition(Instance instance, Instance.State from, Instance.State to, String reason) {
                if (to == MASTER) {
                    reasons.add(reason);
                }
            }
        });
        i.start();
        i.onAdvert(VrrpPacket.v3(51, 200, 100, List.of(VirtualCluster.VIP)), address(2)); // 1 s adverts
        i.onAdvert(VrrpPacket.v3(51, 200, 200, List.of(VirtualCluster.VIP)), address(2)); // now 2 s
        clock.advanceMillis(7_300);
        i.onAdvert(VrrpPacket.v3(51, 250, 100, List.of(VirtualCluster.VIP)), address(2)); // back to backup
        i.onAdvert(VrrpPacket.v3(51, 250, 100, List.of(VirtualCluster.VIP)), address(3)); // another master
        clock.advanceMillis(4_000);

        // Master_Down_Interval = 3 * 2000 + (256 - 100) * 2000 / 256 = 7218 ms, then 3609 ms
        assertThat(reasons).containsExactly("no advert from master " + address(2).getHostAddress() + " for 7218ms",
                "no advert from master " + address(3).getHostAddress() + " for 3609ms");
    }
}
