package dev.baton.vrrp;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every path of the state machine once on a throwaway instance, at start-up, so that the
 * first real takeover does not pay for what a JVM does on first use: loading classes, linking
 * lambdas and string concatenations. Measured in the lab, those first uses cost the new master
 * milliseconds between its timer and its first advert. Nothing is sent and no listener hears it.
 */
public final class Rehearsal {

    private Rehearsal() {}

    /** A clock that stands still; armed timers run when {@link #fireAll} says, in arming order. */
    private static final class ManualScheduler implements Scheduler {
        private final List<ManualTimer> armed = new ArrayList<>();

        private final class ManualTimer implements Timer {
            final Runnable task;

            ManualTimer(Runnable task) {
                this.task = task;
            }

            @Override
            public void arm(long delayNanos) {
                armed.remove(this);
                armed.add(this);
            }

            @Override
            public void cancel() {
                armed.remove(this);
            }
        }

        @Override
        public long nanoTime() {
            return 0;
        }

        @Override
        public Timer timer(Runnable task) {
            return new ManualTimer(task);
        }

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        /** Fires the timers armed now; one cancelled by an earlier one in the pass does not run. */
        void fireAll() {
            for (ManualTimer t : List.copyOf(armed)) {
                if (armed.remove(t)) {
                    t.task.run();
                }
            }
        }
    }

    /** Nothing is sent and no one is told. */
    private static final Instance.Events UNHEARD = new Instance.Events() {
        @Override
        public void sendAdvert(Instance instance, VrrpPacket advert) {}

        @Override
        public void onTransition(Instance instance, Instance.State from, Instance.State to, String reason) {}
    };

    /** Rehearses with the shape of {@code template}: its version, addresses, peers. */
    public static void run(InstanceSpec template) {
        rehearse(template, UNHEARD);
    }

    /** The rehearsal; returns each transition's "from -> to (reason)", for tests. */
    static List<String> transitions(InstanceSpec template) {
        List<String> seen = new ArrayList<>();
        rehearse(template, new Instance.Events() {
            @Override
            public void sendAdvert(Instance instance, VrrpPacket advert) {}

            @Override
            public void onTransition(Instance instance, Instance.State from, Instance.State to, String reason) {
                seen.add(from + " -> " + to + " (" + reason + ")");
            }
        });
        return seen;
    }

    private static void rehearse(InstanceSpec template, Instance.Events events) {
        InetAddress peer = template.peers().isEmpty() ? template.source() : template.peers().getFirst();
        InstanceSpec spec = new InstanceSpec("rehearsal", template.vrid(), template.version(), 100,
                template.advertInterval(), template.source(), template.peers(), template.addresses(), true,
                Duration.ZERO, template.password());
        ManualScheduler clock = new ManualScheduler();
        Instance i = new Instance(spec, clock, events);
        VrrpPacket higher = spec.advert(200);
        VrrpPacket lower = spec.advert(50);
        i.start();                           // INIT -> BACKUP
        // Each way a master-down timer fires has its own reason text, made when it fires: the
        // first string concatenation of a call site links it (hundreds of µs, in the lab at a
        // fresh node's first takeover), so each one runs here first.
        clock.fireAll();                     // no master heard at all -> MASTER
        i.onAdvert(higher, peer);            // higher priority -> BACKUP
        i.onAdvert(higher, peer);            // following that master
        clock.fireAll();                     // its adverts stop (a crash) -> MASTER
        i.onAdvert(higher, peer);            // -> BACKUP
        i.onAdvert(lower, peer);             // a lower one: preempt path
        i.onAdvert(higher.withPriority(0), peer);
        clock.fireAll();                     // the master stopped: after Skew_Time -> MASTER
        clock.fireAll();                     // adver timer
        i.onAdvert(lower, peer);             // a rival master
        i.onAdvert(higher.withPriority(0), peer);
        i.onAdvert(higher, peer);            // higher priority -> BACKUP
        i.setFault("rehearsal", "rehearsal");
        i.clearFault("rehearsal");
        clock.fireAll();
        i.shutdown();
    }
}
