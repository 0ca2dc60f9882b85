package dev.baton.testing;

import dev.baton.api.Secret;
import dev.baton.ops.Metrics;
import dev.baton.vrrp.Election;
import dev.baton.vrrp.Instance;
import dev.baton.vrrp.InstanceSpec;
import dev.baton.vrrp.VrrpDecoder;
import dev.baton.vrrp.VrrpException;
import dev.baton.vrrp.VrrpPacket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Several nodes, each with its own {@link Election} (the real dispatch, filter and state
 * machine), on one virtual clock and one {@link MemoryNetwork}. Node i has address 10.99.0.(10+i).
 */
public final class VirtualCluster {

    public static final InetAddress VIP = InetAddress.ofLiteral("10.99.0.50");

    /** A transition as a node's listener saw it. */
    public record Transition(long atMillis, Instance.State from, Instance.State to, String reason) {}

    public final class Node {
        public final InetAddress address;
        public final Election election;
        public final Instance instance;
        public final Metrics metrics = new Metrics();
        public final List<Transition> transitions = new ArrayList<>();
        /** Rival masters this node heard while master: "address/priority". */
        public final List<String> rivals = new ArrayList<>();

        Node(InstanceSpec spec, boolean quorum) {
            this.address = spec.source();
            this.election = new Election(scheduler, network, new Election.Listener() {
                @Override
                public void onTransition(Instance i, Instance.State from, Instance.State to, String why) {
                    transitions.add(new Transition(scheduler.nowMillis() - startMillis, from, to, why));
                }

                @Override
                public void onRivalYielded(Instance i, InetAddress rival) {
                    rivals.add(rival.getHostAddress() + " yielded");
                }

                @Override
                public void onRivalMaster(Instance i, InetAddress rival, int priority) {
                    rivals.add(rival.getHostAddress() + "/" + priority);
                }
            }, metrics);
            try {
                this.instance = election.add(spec, "eth0", quorum);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public Instance.State state() {
            return instance.state();
        }

        public String name() {
            return instance.name();
        }

        /** Adverts this node put on the wire, decoded. */
        public List<VrrpPacket> advertsSent() {
            List<VrrpPacket> out = new ArrayList<>();
            for (MemoryNetwork.Sent s : network.sent()) {
                if (s.src().equals(address)) {
                    try {
                        out.add(VrrpDecoder.decode(ByteBuffer.wrap(s.message()), s.src(), s.dst()));
                    } catch (VrrpException e) {
                        throw new AssertionError(e);
                    }
                }
            }
            return out;
        }

        /** Milliseconds since the cluster was built when this node last entered {@code state}, or -1. */
        public long lastEntered(Instance.State state) {
            for (int i = transitions.size() - 1; i >= 0; i--) {
                if (transitions.get(i).to() == state) {
                    return transitions.get(i).atMillis();
                }
            }
            return -1;
        }

        public void start() {
            instance.start();
        }
    }

    public final VirtualScheduler scheduler = new VirtualScheduler();
    public final MemoryNetwork network = MemoryNetwork.virtual(scheduler, 100);
    public final List<Node> nodes = new ArrayList<>();
    private final long startMillis = scheduler.nowMillis();

    /** Builds nodes with the given priorities, VRRPv3, 1 s adverts, preempt on; {@code tweak} edits each spec. */
    public static VirtualCluster of(UnaryOperator<InstanceSpec> tweak, int... priorities) {
        return build(tweak, false, priorities);
    }

    /** As {@link #of(int...)}, every node in quorum mode. */
    public static VirtualCluster withQuorum(int... priorities) {
        return build(s -> s, true, priorities);
    }

    private static VirtualCluster build(UnaryOperator<InstanceSpec> tweak, boolean quorum, int... priorities) {
        VirtualCluster c = new VirtualCluster();
        List<InetAddress> all = new ArrayList<>();
        for (int i = 0; i < priorities.length; i++) {
            all.add(address(i + 1));
        }
        for (int i = 0; i < priorities.length; i++) {
            InetAddress self = all.get(i);
            List<InetAddress> peers = all.stream().filter(a -> !a.equals(self)).toList();
            InstanceSpec spec = new InstanceSpec("web", 51, 3, priorities[i], Duration.ofSeconds(1), self, peers,
                    List.of(VIP), true, Duration.ZERO, null);
            c.nodes.add(c.new Node(tweak.apply(spec), quorum));
        }
        return c;
    }

    public static VirtualCluster of(int... priorities) {
        return of(s -> s, priorities);
    }

    public static InetAddress address(int node) {
        return InetAddress.ofLiteral("10.99.0." + (10 + node));
    }

    public Node node(int i) {
        return nodes.get(i - 1);
    }

    public void startAll() {
        nodes.forEach(Node::start);
    }

    public List<Node> masters() {
        return nodes.stream().filter(n -> n.state() == Instance.State.MASTER).toList();
    }

    public void advanceMillis(long ms) {
        scheduler.advanceMillis(ms);
    }

    public long nowMillis() {
        return scheduler.nowMillis() - startMillis;
    }

    /** Spec helpers for {@link #of(UnaryOperator, int...)}. */
    public static UnaryOperator<InstanceSpec> interval(Duration d) {
        return s -> new InstanceSpec(s.name(), s.vrid(), s.version(), s.priority(), d, s.source(), s.peers(),
                s.addresses(), s.preempt(), s.preemptDelay(), s.password());
    }

    public static UnaryOperator<InstanceSpec> preempt(boolean on, Duration delay) {
        return s -> new InstanceSpec(s.name(), s.vrid(), s.version(), s.priority(), s.advertInterval(), s.source(),
                s.peers(), s.addresses(), on, delay, s.password());
    }

    public static UnaryOperator<InstanceSpec> v2(Secret password) {
        return s -> new InstanceSpec(s.name(), s.vrid(), 2, s.priority(), s.advertInterval(), s.source(), s.peers(),
                s.addresses(), s.preempt(), s.preemptDelay(), password);
    }
}
