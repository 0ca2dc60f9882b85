package dev.baton.bgp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the codec: what we encode decodes to itself, and no input, however broken, makes
 * the decoder fail with anything but a {@link BgpException}.
 */
class CodecProperties {

    @Property(tries = 500)
    void announcementsRoundTrip(@ForAll("prefixes") List<Prefix> prefixes, @ForAll("communities") List<Integer> communities,
            @ForAll boolean ipv6Session, @ForAll boolean fourOctetAs) throws Exception {
        InetAddress local = InetAddress.getByName(ipv6Session ? "fd99::11" : "10.99.0.11");
        for (Family f : Family.values()) {
            List<Prefix> ofFamily = prefixes.stream().filter(p -> p.family() == f).toList();
            if (ofFamily.isEmpty()) {
                continue;
            }
            Update u = Announcements.announce(f, ofFamily, communities, local, GoldenVectorTest.LELASTIC, fourOctetAs);
            assertThat(roundTrip(u, fourOctetAs)).isEqualTo(u);
            Update w = f == Family.IPV4_UNICAST ? Announcements.withdrawIpv4(ofFamily) : Announcements.withdrawIpv6(ofFamily);
            assertThat(roundTrip(w, fourOctetAs)).isEqualTo(w);
        }
    }

    @Property(tries = 200)
    void opensRoundTrip(@ForAll @IntRange(min = 0, max = 65535) int as, @ForAll @IntRange(min = 3, max = 65535) int hold,
            @ForAll @IntRange(min = 1) int id) throws Exception {
        Open o = new Open(4, as, hold, id, List.of(Capability.multiprotocol(Family.IPV6_UNICAST),
                Capability.fourOctetAs(as), Capability.extendedNextHopIpv4OverIpv6()));
        assertThat(roundTrip(o, true)).isEqualTo(o);
    }

    /** Random bytes behind a valid header: a message or a BgpException, nothing else. */
    @Property(tries = 3000)
    void arbitraryBodiesNeverThrowAnythingElse(@ForAll @IntRange(min = 1, max = 5) int type,
            @ForAll @Size(max = 120) byte[] body, @ForAll boolean fourOctetAs) {
        ByteBuf b = Unpooled.buffer();
        b.writeLong(-1).writeLong(-1).writeShort(19 + body.length).writeByte(type).writeBytes(body);
        decodeQuietly(b, fourOctetAs);
    }

    /** Valid lelastic UPDATEs with bytes flipped: the decoder must not trip over its own parsing. */
    @Property(tries = 3000)
    void mutatedUpdatesNeverThrowAnythingElse(@ForAll("prefixes") List<Prefix> prefixes,
            @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 16, max = 200) Integer> positions,
            @ForAll @Size(min = 4, max = 4) byte[] values) throws Exception {
        Update u = Announcements.announce(prefixes.getFirst().family(), List.of(prefixes.getFirst()),
                List.of(PathAttributes.community(65000, 1)), InetAddress.getByName("fd99::11"), GoldenVectorTest.LELASTIC, true);
        ByteBuf b = GoldenVectorTest.encode(u);
        for (int i = 0; i < positions.size(); i++) {
            int at = positions.get(i) % b.readableBytes();
            if (at >= 19) {
                b.setByte(at, values[i]);
            }
        }
        decodeQuietly(b, true);
    }

    static void decodeQuietly(ByteBuf b, boolean fourOctetAs) {
        try {
            BgpMessage m = BgpDecoder.decode(b, fourOctetAs);
            assertThat(m).isNotNull();
        } catch (BgpException e) {
            assertThat(e.notification().code()).isBetween(1, 6);
        } finally {
            b.release();
        }
    }

    private static BgpMessage roundTrip(BgpMessage m, boolean fourOctetAs) throws BgpException {
        ByteBuf b = BgpEncoder.encode(m, Unpooled.buffer().alloc(), fourOctetAs);
        try {
            return BgpDecoder.decode(b, fourOctetAs);
        } finally {
            b.release();
        }
    }

    @Provide
    Arbitrary<List<Prefix>> prefixes() {
        Arbitrary<Prefix> v4 = Combinators.combine(Arbitraries.bytes().array(byte[].class).ofSize(4),
                Arbitraries.integers().between(0, 32)).as((a, l) -> new Prefix(Family.IPV4_UNICAST, a, l));
        Arbitrary<Prefix> v6 = Combinators.combine(Arbitraries.bytes().array(byte[].class).ofSize(16),
                Arbitraries.integers().between(0, 128)).as((a, l) -> new Prefix(Family.IPV6_UNICAST, a, l));
        return Arbitraries.oneOf(v4, v6).list().ofMinSize(1).ofMaxSize(20).map(l -> new ArrayList<>(l.stream().distinct().toList()));
    }

    @Provide
    Arbitrary<List<Integer>> communities() {
        return Arbitraries.integers().list().ofMinSize(1).ofMaxSize(4);
    }
}
