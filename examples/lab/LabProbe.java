import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;

/**
 * The lab's traffic, as a single-file program (run with {@code java LabProbe.java ...}):
 *
 * <pre>
 *   echo NAME PORT                   on each node: answer every datagram with NAME
 *   probe ADDRESS PORT INTERVAL_MS   on the client: send a datagram every INTERVAL_MS and report
 *                                    who answers and how long nothing did
 *       [--until-change SECONDS]     exit after the first change of responder, or after SECONDS
 * </pre>
 *
 * The probe prints one line per event; lines starting with {@code OUTAGE} carry the figures:
 * {@code OUTAGE ms=352 from=n1 to=n2}. An outage is the time between the last answer before a
 * silence and the first answer after it, so it is measured to within one interval.
 */
public class LabProbe {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("echo")) {
            echo(args[1], Integer.parseInt(args[2]));
        } else if (args.length >= 4 && args[0].equals("probe")) {
            long until = args.length >= 6 && args[4].equals("--until-change") ? Long.parseLong(args[5]) : -1;
            probe(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), until);
        } else {
            System.err.println("usage: LabProbe echo NAME PORT | probe ADDRESS PORT INTERVAL_MS [--until-change SECONDS]");
            System.exit(2);
        }
    }

    static void echo(String name, int port) throws IOException {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(new InetSocketAddress(port));
            ByteBuffer in = ByteBuffer.allocate(512);
            byte[] me = (name + " ").getBytes(StandardCharsets.US_ASCII);
            System.out.println("echo " + name + " on udp/" + port);
            while (true) {
                in.clear();
                SocketAddress from = ch.receive(in);
                in.flip();
                ByteBuffer out = ByteBuffer.allocate(me.length + in.remaining());
                out.put(me).put(in).flip();
                ch.send(out, from);
            }
        }
    }

    static void probe(String address, int port, int intervalMs, long untilSeconds) throws Exception {
        InetSocketAddress target = new InetSocketAddress(address, port);
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
            ch.bind(new InetSocketAddress(0));
            ch.configureBlocking(false);
            ByteBuffer in = ByteBuffer.allocate(512);
            String responder = null;
            long lastAnswer = 0;
            boolean silent = false;
            long seq = 0;
            long start = System.nanoTime();
            long next = start;
            long silenceAfterNanos = Math.max(3L * intervalMs, 20) * 1_000_000L;
            while (untilSeconds < 0 || System.nanoTime() - start < TimeUnit.SECONDS.toNanos(untilSeconds)) {
                long now = System.nanoTime();
                if (now >= next) {
                    ch.send(ByteBuffer.wrap(Long.toString(seq++).getBytes(StandardCharsets.US_ASCII)), target);
                    next += intervalMs * 1_000_000L;
                    if (next < now) {
                        next = now + intervalMs * 1_000_000L; // we were descheduled: do not burst
                    }
                }
                in.clear();
                while (ch.receive(in) != null) {
                    in.flip();
                    String reply = StandardCharsets.US_ASCII.decode(in).toString();
                    String who = reply.substring(0, Math.max(0, reply.indexOf(' ')));
                    long t = System.nanoTime();
                    if (responder == null) {
                        say(address + " answered by " + who);
                    } else if (silent || !who.equals(responder)) {
                        long ms = (t - lastAnswer) / 1_000_000;
                        say(address + " answered by " + who + " after " + ms + " ms without an answer from it");
                        System.out.println("OUTAGE ms=" + ms + " from=" + responder + " to=" + who);
                        if (untilSeconds >= 0 && !who.equals(responder)) {
                            return;
                        }
                    }
                    responder = who;
                    lastAnswer = t;
                    silent = false;
                    in.clear();
                }
                if (!silent && responder != null && System.nanoTime() - lastAnswer > silenceAfterNanos) {
                    silent = true;
                    say("no answer from " + address + " (last from " + responder + ")");
                }
                long sleep = Math.min(next - System.nanoTime(), 1_000_000L);
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
            }
            System.out.println("TIMEOUT no change of responder");
            System.exit(1);
        }
    }

    private static void say(String s) {
        System.out.println(LocalTime.now().format(TIME) + " " + s);
        System.out.flush();
    }
}
